package dev.manaknight.lang.codegen;

import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.bytecode.Opcode;
import java.util.HashMap;
import java.util.Map;

/**
 * Code generation's only way to produce bytes: wraps a {@link CodeBuilder}, tracks the operand
 * stack depth (for the function's maxStack) and reachability. Code after an instruction that
 * never falls through is dropped until a label that some jump targets is bound.
 */
final class Emitter {
    private final CodeBuilder code = new CodeBuilder();
    private final Map<CodeBuilder.Label, Integer> labelDepth = new HashMap<>();
    private int depth;
    private int maxDepth;
    private boolean reachable = true;

    boolean reachable() { return reachable; }

    void line(int line) {
        if (reachable) code.line(line);
    }

    /** A fixed-effect instruction. */
    void op(Opcode op, int... operands) {
        if (op.variable()) throw new IllegalArgumentException(op + " needs an explicit stack effect");
        emit(op, op.pushes.length() - op.pops.length(), operands);
    }

    /** An instruction whose stack effect depends on operands or tables (see Opcode's notes). */
    void variable(Opcode op, int delta, int... operands) {
        emit(op, delta, operands);
    }

    private void emit(Opcode op, int delta, int... operands) {
        if (!reachable) return;
        code.op(op, operands);
        adjust(delta);
        if (op.terminal()) reachable = false;
    }

    private void adjust(int delta) {
        depth += delta;
        if (depth < 0) throw new IllegalStateException("codegen: stack underflow");
        maxDepth = Math.max(maxDepth, depth);
    }

    CodeBuilder.Label label() { return code.newLabel(); }

    /** A forward or backward jump; records the depth the target will have. */
    void jump(Opcode op, CodeBuilder.Label target) {
        if (!reachable) return;
        code.jump(op, target);
        adjust(op == Opcode.JUMP_IF_FALSE || op == Opcode.JUMP_IF_TRUE ? -1 : 0);
        labelDepth.merge(target, depth, (a, b) -> {
            if (!a.equals(b)) throw new IllegalStateException("codegen: inconsistent stack depth at a label: " + a + " vs " + b);
            return a;
        });
        if (op.terminal()) reachable = false;
    }

    /** Binds a label here; code is reachable again when something jumps to it. */
    void bind(CodeBuilder.Label label) {
        Integer d = labelDepth.get(label);
        if (reachable) {
            if (d != null && d != depth) throw new IllegalStateException("codegen: inconsistent stack depth at a label");
            labelDepth.put(label, depth);
        } else if (d != null) {
            depth = d;
            reachable = true;
        }
        code.bind(label);
    }

    int maxDepth() { return maxDepth; }

    byte[] bytes() { return code.code(); }

    int[] lines() { return code.lineTable(); }
}

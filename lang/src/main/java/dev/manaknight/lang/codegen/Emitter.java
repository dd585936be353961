package dev.manaknight.lang.codegen;

import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.bytecode.Opcode;
import java.util.HashMap;
import java.util.Map;

/**
 * Code generation's only way to produce bytes: wraps a {@link CodeBuilder}, tracks the operand
 * stack (the lane of each entry, for the function's maxStack and for leaving a loop from inside
 * an expression) and reachability. Code after an instruction that never falls through is dropped
 * until a label that some jump targets is bound.
 */
final class Emitter {
    private final CodeBuilder code = new CodeBuilder();
    /** The operand stack at each label some jump targets: one `P` or `R` per entry, bottom first. */
    private final Map<CodeBuilder.Label, String> labelStack = new HashMap<>();
    private final StringBuilder stack = new StringBuilder();
    private int maxDepth;
    private boolean reachable = true;

    boolean reachable() { return reachable; }

    void line(int line) {
        if (reachable) code.line(line);
    }

    /** A fixed-effect instruction. */
    void op(Opcode op, int... operands) {
        if (op.variable()) throw new IllegalArgumentException(op + " needs an explicit stack effect");
        emit(op, op.pops.length(), op.pushes, operands);
    }

    /**
     * An instruction whose stack effect depends on operands or tables (see Opcode's notes): it
     * pops `pops` entries and pushes `pushes` (`""`, `"P"` or `"R"`).
     */
    void variable(Opcode op, int pops, String pushes, int... operands) {
        emit(op, pops, pushes, operands);
    }

    private void emit(Opcode op, int pops, String pushes, int... operands) {
        if (!reachable) return;
        code.op(op, operands);
        adjust(pops, pushes);
        if (op.terminal()) reachable = false;
    }

    private void adjust(int pops, String pushes) {
        if (pops > stack.length()) throw new IllegalStateException("codegen: stack underflow");
        stack.setLength(stack.length() - pops);
        stack.append(pushes);
        maxDepth = Math.max(maxDepth, stack.length());
    }

    /** The operand stack's height. */
    int depth() { return stack.length(); }

    /** Pops entries, each in its lane, until the stack is `depth` high (leaving a loop mid-expression). */
    void unwindTo(int depth) {
        if (!reachable) return;
        while (stack.length() > depth) op(stack.charAt(stack.length() - 1) == 'P' ? Opcode.POP_P : Opcode.POP_R);
    }

    CodeBuilder.Label label() { return code.newLabel(); }

    /** A forward or backward jump; records the stack the target will have. */
    void jump(Opcode op, CodeBuilder.Label target) {
        if (!reachable) return;
        code.jump(op, target);
        adjust(op == Opcode.JUMP_IF_FALSE || op == Opcode.JUMP_IF_TRUE ? 1 : 0, "");
        String now = stack.toString();
        labelStack.merge(target, now, (a, b) -> {
            if (!a.equals(b)) throw new IllegalStateException("codegen: inconsistent stack at a label: " + a + " vs " + b);
            return a;
        });
        if (op.terminal()) reachable = false;
    }

    /** Binds a label here; code is reachable again when something jumps to it. */
    void bind(CodeBuilder.Label label) {
        String at = labelStack.get(label);
        if (reachable) {
            if (at != null && !at.contentEquals(stack)) throw new IllegalStateException("codegen: inconsistent stack at a label");
            labelStack.put(label, stack.toString());
        } else if (at != null) {
            stack.setLength(0);
            stack.append(at);
            reachable = true;
        }
        code.bind(label);
    }

    int maxDepth() { return maxDepth; }

    byte[] bytes() { return code.code(); }

    int[] lines() { return code.lineTable(); }
}

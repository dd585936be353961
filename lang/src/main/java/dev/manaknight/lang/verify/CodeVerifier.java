package dev.manaknight.lang.verify;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Limits;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.types.HttpMethod;
import dev.manaknight.lang.types.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies one function's code: decoding, operands, jump targets, then an abstract
 * interpretation over stack kinds and local-slot kinds (see verifier.md).
 */
final class CodeVerifier {
    /** What a function's code reaches, for the module-level checks. */
    record Summary(BitSet calls, List<Integer> requestPcs) {}

    /** How an instruction changes the stack: pops `prefix` (deepest first), then `extraRefs` R on top of it, pushes `pushes`. */
    private record StackEffect(String prefix, int extraRefs, String pushes) {
        int pops() { return prefix.length() + extraRefs; }
    }

    private static final int MAX_STACK_SHOWN = 8;

    private final Module module;
    private final Function fn;
    private final int index;
    private final byte[] code;
    private final Set<VerifyError> errors = new LinkedHashSet<>();
    private final BitSet starts = new BitSet();
    private final BitSet targets = new BitSet();
    private final BitSet calls = new BitSet();
    /** Join points where paths disagree about the stack: not interpreted further. */
    private final BitSet broken = new BitSet();
    private final List<Integer> requestPcs = new ArrayList<>();

    private CodeVerifier(Module module, int index) {
        this.module = module;
        this.index = index;
        this.fn = module.functions().get(index);
        this.code = fn.code();
    }

    /** Adds every problem of function `index` to `out` and returns what its code calls. */
    static Summary verify(Module module, int index, List<VerifyError> out) {
        var v = new CodeVerifier(module, index);
        v.run();
        out.addAll(v.errors);
        return new Summary(v.calls, v.requestPcs);
    }

    private void run() {
        if (code == null || fn.params() == null || fn.result() == null || fn.lines() == null) {
            error(-1, "is incomplete: its code, line table, parameter kinds or result kind is missing");
            return;
        }
        boolean frameOk = checkFrame();
        checkLines();
        boolean decoded = decode();
        checkOperands();
        if (frameOk && decoded) flow(); // without whole instructions there is nothing sound to interpret
    }

    // --- the frame and the line table ----------------------------------------------------------

    private boolean checkFrame() {
        boolean ok = true;
        int params = fn.params().size();
        if (params > Limits.MAX_PARAMS) {
            error(-1, "has " + params + " parameters, more than Limits.MAX_PARAMS (" + Limits.MAX_PARAMS + ")");
            ok = false;
        }
        if (fn.locals() < 0 || fn.locals() > Limits.MAX_LOCALS) {
            error(-1, "declares " + fn.locals() + " locals, outside 0..Limits.MAX_LOCALS (" + Limits.MAX_LOCALS + ")");
            ok = false;
        }
        if (params > fn.locals()) {
            error(-1, "has " + params + " parameters but only " + fn.locals() + " local slots to hold them");
            ok = false;
        }
        if (fn.maxStack() < 0 || fn.maxStack() > Limits.MAX_STACK) {
            error(-1, "declares maxStack " + fn.maxStack() + ", outside 0..Limits.MAX_STACK (" + Limits.MAX_STACK + ")");
            ok = false;
        }
        if (code.length > Limits.MAX_CODE) {
            error(-1, "has " + code.length + " code bytes, more than Limits.MAX_CODE (" + Limits.MAX_CODE + ")");
            ok = false;
        }
        if (code.length == 0) {
            error(-1, "has no code: control falls off its end at once");
            ok = false;
        }
        if ((fn.capabilities() & ~Verifier.ALL_CAPABILITIES) != 0)
            error(-1, String.format("capability bits 0x%X name no capability", fn.capabilities() & ~Verifier.ALL_CAPABILITIES));
        return ok;
    }

    private void checkLines() {
        int[] lines = fn.lines();
        if (lines.length % 2 != 0) {
            error(-1, "line table has an odd length " + lines.length + " (it holds (pc, line) pairs)");
            return;
        }
        int previous = -1;
        for (int i = 0; i < lines.length; i += 2) {
            int pc = lines[i];
            // pc == code.length is tolerated: a line set after the last instruction names nothing and harms nothing
            if (pc <= previous || pc > code.length) {
                error(-1, "line table entry " + (i / 2) + " has pc " + pc
                        + ", not ascending inside the code (0.." + code.length + ")");
                return;
            }
            if (lines[i + 1] < 1) {
                error(-1, "line table entry " + (i / 2) + " has line " + lines[i + 1] + " (lines start at 1)");
                return;
            }
            previous = pc;
        }
    }

    // --- decoding and operands -----------------------------------------------------------------

    /** Marks instruction starts; false when some instruction does not decode inside the code. */
    private boolean decode() {
        int pc = 0;
        while (pc < code.length) {
            Opcode op = Opcode.of(code[pc] & 0xFF);
            if (op == null) {
                errors.add(new VerifyError(index, pc, where(pc, null) + String.format("byte 0x%02X is not an opcode", code[pc] & 0xFF)));
                return false;
            }
            if (pc + op.size > code.length) {
                error(pc, op, "needs " + op.size + " bytes but the code ends after " + (code.length - pc));
                return false;
            }
            starts.set(pc);
            pc += op.size;
        }
        return true;
    }

    /** Checks every decoded instruction's operands, reachable or not. */
    private void checkOperands() {
        for (int pc = starts.nextSetBit(0); pc >= 0; pc = starts.nextSetBit(pc + 1)) checkOperands(pc, Opcode.of(code[pc] & 0xFF));
    }

    private void checkOperands(int pc, Opcode op) {
        switch (op) {
            case CONST -> {
                Constant c = constant(pc, op);
                if (c != null && !(c instanceof Constant.StrConst || c instanceof Constant.DecConst))
                    error(pc, op, "#" + u16(pc + 1) + " is " + kindName(c) + ", not a String or Decimal constant");
            }
            case CONST_INT -> {
                Constant c = constant(pc, op);
                if (c != null && !(c instanceof Constant.IntConst))
                    error(pc, op, "#" + u16(pc + 1) + " is " + kindName(c) + ", not an Int constant");
            }
            case CONST_FLOAT -> {
                Constant c = constant(pc, op);
                if (c != null && !(c instanceof Constant.FloatConst))
                    error(pc, op, "#" + u16(pc + 1) + " is " + kindName(c) + ", not a Float constant");
            }
            case FAIL, EXPECT -> {
                Constant c = constant(pc, op);
                if (c != null && !(c instanceof Constant.StrConst))
                    error(pc, op, "#" + u16(pc + 1) + " is " + kindName(c) + ", not a String constant");
            }
            case LOAD_P, LOAD_R, STORE_P, STORE_R -> {
                int slot = code[pc + 1] & 0xFF;
                if (slot >= fn.locals()) error(pc, op, "slot " + slot + " is outside the function's " + fn.locals() + " locals");
            }
            case RECORD_NEW -> record(pc, op);
            case GET_FIELD, WITH_FIELD -> {
                TypeDef.RecordDef r = record(pc, op);
                int field = code[pc + 3] & 0xFF;
                if (r != null && field >= r.fields().size())
                    error(pc, op, "field " + field + " is outside record " + r.name() + " (" + r.fields().size() + " fields)");
            }
            case ENUM_NEW -> {
                int t = u16(pc + 1);
                int variant = code[pc + 3] & 0xFF;
                if (t >= module.types().size()) {
                    error(pc, op, "type T" + t + " is outside the type table (" + module.types().size() + " entries)");
                } else if (!(module.types().get(t) instanceof TypeDef.EnumDef e)) {
                    error(pc, op, "type T" + t + " (" + module.types().get(t).name() + ") is not an enum");
                } else if (variant >= e.variants().size()) {
                    error(pc, op, "variant " + variant + " is outside enum " + e.name() + " (" + e.variants().size() + " variants)");
                }
            }
            case JUMP, JUMP_IF_FALSE, JUMP_IF_TRUE, LOOP -> {
                int target = u16(pc + 1);
                if (target >= code.length || !starts.get(target)) {
                    error(pc, op, "target " + target + " is not the start of an instruction");
                } else if (op == Opcode.LOOP && target > pc) {
                    error(pc, op, "target " + target + " is forward; LOOP must jump backward");
                } else if (op != Opcode.LOOP && target <= pc) {
                    error(pc, op, "target " + target + " is backward; " + op + " must jump forward (loops use LOOP)");
                } else {
                    targets.set(target);
                }
            }
            case CALL -> {
                int f = u16(pc + 1);
                if (f >= module.functions().size()) {
                    error(pc, op, "function F" + f + " is outside the function table (" + module.functions().size() + " entries)");
                } else {
                    calls.set(f);
                    Function callee = module.functions().get(f);
                    int missing = callee.capabilities() & ~fn.capabilities();
                    if (missing != 0)
                        error(pc, op, "calls F" + f + " `" + callee.name() + "`, which uses " + Verifier.capabilityNames(missing)
                                + " not declared by this function");
                }
            }
            case BUILTIN -> {
                int id = u16(pc + 1);
                if (Builtin.of(id) == null) error(pc, op, "builtin " + id + " does not exist (0.." + (Builtin.values().length - 1) + ")");
            }
            case EFFECT -> {
                int e = u16(pc + 1);
                if (e >= module.effects().size()) {
                    error(pc, op, "effect E" + e + " is outside the effect table (" + module.effects().size() + " entries)");
                } else {
                    EffectOp effect = module.effects().get(e);
                    if ((fn.capabilities() & effect.capability().bit()) == 0)
                        error(pc, op, "E" + e + " " + effect.qualifiedName() + " needs capability `" + effect.capability().sourceName()
                                + "`, which this function does not declare (effect operations not declared by the route)");
                }
            }
            case JSON -> {
                int t = u16(pc + 1);
                if (t >= module.typeRefs().size())
                    error(pc, op, "type reference J" + t + " is outside the type references (" + module.typeRefs().size() + " entries)");
            }
            case REQUEST -> {
                int m = code[pc + 1] & 0xFF;
                if (HttpMethod.of(m) == null) error(pc, op, "method " + m + " is no HTTP method");
                requestPcs.add(pc);
            }
            default -> { }
        }
    }

    private Constant constant(int pc, Opcode op) {
        int k = u16(pc + 1);
        if (k >= module.constants().size()) {
            error(pc, op, "constant #" + k + " is outside the constant pool (" + module.constants().size() + " entries)");
            return null;
        }
        return module.constants().get(k);
    }

    private TypeDef.RecordDef record(int pc, Opcode op) {
        int t = u16(pc + 1);
        if (t >= module.types().size()) {
            error(pc, op, "type T" + t + " is outside the type table (" + module.types().size() + " entries)");
            return null;
        }
        if (!(module.types().get(t) instanceof TypeDef.RecordDef r)) {
            error(pc, op, "type T" + t + " (" + module.types().get(t).name() + ") is not a record");
            return null;
        }
        return r;
    }

    private static String kindName(Constant c) {
        return switch (c) {
            case Constant.IntConst i -> "an Int constant";
            case Constant.FloatConst f -> "a Float constant";
            case Constant.StrConst s -> "a String constant";
            case Constant.DecConst d -> "a Decimal constant";
        };
    }

    // --- abstract interpretation ---------------------------------------------------------------

    /** The kinds on the stack and in the local slots before an instruction. */
    private static final class State {
        static final byte P = 0, R = 1, CONFLICT = 2, UNSET = 3;

        byte[] stack;
        int height;
        final byte[] locals;

        State(int capacity, int locals) {
            this.stack = new byte[capacity];
            this.locals = new byte[locals];
        }

        State copy() {
            State s = new State(stack.length, locals.length);
            System.arraycopy(stack, 0, s.stack, 0, height);
            s.height = height;
            System.arraycopy(locals, 0, s.locals, 0, locals.length);
            return s;
        }

        boolean sameStack(State o) {
            return height == o.height && Arrays.equals(stack, 0, height, o.stack, 0, height);
        }

        /** Joins another path's locals into these; true when something changed. */
        boolean mergeLocals(State o) {
            boolean changed = false;
            for (int i = 0; i < locals.length; i++) {
                byte a = locals[i], b = o.locals[i];
                byte m = a == b ? a : (byte) Math.max(Math.max(a, b), CONFLICT);
                if (m != a) {
                    locals[i] = m;
                    changed = true;
                }
            }
            return changed;
        }

        String describeStack() {
            if (height == 0) return "[]";
            var sb = new StringBuilder("[");
            int from = Math.max(0, height - MAX_STACK_SHOWN);
            if (from > 0) sb.append("… ");
            for (int i = from; i < height; i++) sb.append(i > from ? " " : "").append(stack[i] == P ? 'P' : 'R');
            return sb.append(']').toString();
        }
    }

    private void flow() {
        int capacity = Math.min(fn.maxStack(), Limits.MAX_STACK);
        State[] at = new State[code.length];
        State entry = new State(capacity, fn.locals());
        Arrays.fill(entry.locals, State.UNSET);
        for (int i = 0; i < fn.params().size(); i++) entry.locals[i] = fn.params().get(i) == Kind.P ? State.P : State.R;
        at[0] = entry;
        targets.set(0);
        BitSet pending = new BitSet();
        pending.set(0);
        for (int start = pending.nextSetBit(0); start >= 0; start = pending.nextSetBit(0)) {
            pending.clear(start);
            if (!broken.get(start)) walk(start, at[start].copy(), at, pending);
        }
    }

    /** Interprets from `pc` until control leaves the straight line; merges into jump targets. */
    private void walk(int pc, State s, State[] at, BitSet pending) {
        while (true) {
            Opcode op = Opcode.of(code[pc] & 0xFF);
            if (!step(pc, op, s)) return;
            if (op == Opcode.JUMP_IF_FALSE || op == Opcode.JUMP_IF_TRUE || op == Opcode.JUMP || op == Opcode.LOOP) {
                int target = u16(pc + 1);
                if (!targets.get(target)) return; // a bad target was reported by the operand check
                merge(target, s, at, pending);
            }
            if (op.terminal()) return;
            int next = pc + op.size;
            if (next >= code.length) {
                error(pc, op, "control falls off the end of the code");
                return;
            }
            if (targets.get(next)) {
                merge(next, s, at, pending);
                return;
            }
            pc = next;
        }
    }

    private void merge(int target, State s, State[] at, BitSet pending) {
        if (broken.get(target)) return;
        State old = at[target];
        if (old == null) {
            at[target] = s.copy();
            pending.set(target);
        } else if (!old.sameStack(s)) {
            error(target, Opcode.of(code[target] & 0xFF), "paths join with different stacks: " + old.describeStack()
                    + " and " + s.describeStack());
            broken.set(target); // no state is right here; going on would only report the consequences
        } else if (old.mergeLocals(s)) {
            pending.set(target);
        }
    }

    /** Applies one instruction to `s`; false (after reporting) when the path cannot go on. */
    private boolean step(int pc, Opcode op, State s) {
        StackEffect effect = stackEffect(pc, op);
        if (effect == null) return false; // an operand is bad; already reported
        int pops = effect.pops();
        if (s.height < pops) {
            error(pc, op, "needs " + pops + " value" + (pops == 1 ? "" : "s") + " but the stack holds " + s.height + " " + s.describeStack());
            return false;
        }
        int base = s.height - pops;
        for (int i = 0; i < pops; i++) {
            byte want = i < effect.prefix().length() ? (effect.prefix().charAt(i) == 'P' ? State.P : State.R) : State.R;
            if (s.stack[base + i] != want) {
                error(pc, op, "operand " + (i + 1) + " of " + pops + " must be " + (want == State.P ? "P" : "R")
                        + " but is " + (want == State.P ? "R" : "P") + "; stack " + s.describeStack());
                return false;
            }
        }
        if ((op == Opcode.LOAD_P || op == Opcode.LOAD_R || op == Opcode.STORE_P || op == Opcode.STORE_R)
                && (code[pc + 1] & 0xFF) >= s.locals.length) return false; // reported by the operand check
        switch (op) {
            case LOAD_P, LOAD_R -> {
                int slot = code[pc + 1] & 0xFF;
                byte want = op == Opcode.LOAD_P ? State.P : State.R;
                byte have = s.locals[slot];
                if (have != want) {
                    String why = switch (have) {
                        case State.UNSET -> "is not assigned on every path to here";
                        case State.CONFLICT -> "holds P on some paths and R on others";
                        default -> "holds " + (have == State.P ? "P" : "R");
                    };
                    error(pc, op, "slot " + slot + " " + why);
                    return false;
                }
            }
            case STORE_P -> s.locals[code[pc + 1] & 0xFF] = State.P;
            case STORE_R -> s.locals[code[pc + 1] & 0xFF] = State.R;
            case RET_P, RET_R -> {
                Kind returned = op == Opcode.RET_P ? Kind.P : Kind.R;
                if (returned != fn.result()) {
                    error(pc, op, "returns " + returned + " but the function's result kind is " + fn.result());
                    return false;
                }
            }
            default -> { }
        }
        s.height = base;
        for (int i = 0; i < effect.pushes().length(); i++) {
            if (s.height >= s.stack.length) {
                error(pc, op, "stack depth " + (s.height + 1) + " exceeds the declared maxStack " + fn.maxStack());
                return false;
            }
            s.stack[s.height++] = effect.pushes().charAt(i) == 'P' ? State.P : State.R;
        }
        return true;
    }

    /** The stack effect, with the variable cases of Opcode's Notes resolved; null when an operand is bad. */
    private StackEffect stackEffect(int pc, Opcode op) {
        if (!op.variable()) return new StackEffect(op.pops, 0, op.pushes);
        return switch (op) {
            case CONCAT -> new StackEffect("", code[pc + 1] & 0xFF, "R");
            case LIST_NEW -> new StackEffect("", u16(pc + 1), "R");
            case MAP_NEW -> new StackEffect("", 2 * u16(pc + 1), "R");
            case RECORD_NEW -> {
                int t = u16(pc + 1);
                yield t < module.types().size() && module.types().get(t) instanceof TypeDef.RecordDef r
                        ? new StackEffect("", r.fields().size(), "R") : null;
            }
            case ENUM_NEW -> {
                int t = u16(pc + 1);
                int v = code[pc + 3] & 0xFF;
                yield t < module.types().size() && module.types().get(t) instanceof TypeDef.EnumDef e && v < e.variants().size()
                        ? new StackEffect("", e.variants().get(v).fields().size(), "R") : null;
            }
            case CALL -> {
                int f = u16(pc + 1);
                if (f >= module.functions().size()) yield null;
                Function callee = module.functions().get(f);
                if (callee.params() == null || callee.result() == null) yield null;
                var params = new StringBuilder();
                for (Kind k : callee.params()) params.append(k.name());
                yield new StackEffect(params.toString(), 0, callee.result().name());
            }
            case BUILTIN -> {
                Builtin b = Builtin.of(u16(pc + 1));
                yield b == null ? null : new StackEffect(b.pops, 0, b.pushes);
            }
            case EFFECT -> {
                int e = u16(pc + 1);
                yield e < module.effects().size() ? new StackEffect("", module.effects().get(e).params().size(), "R") : null;
            }
            case RESPOND -> new StackEffect("PR", 2 * (code[pc + 1] & 0xFF), "");
            default -> throw new IllegalStateException("variable opcode without a rule: " + op);
        };
    }

    // --- helpers --------------------------------------------------------------------------------

    private int u16(int at) {
        return ((code[at] & 0xFF) << 8) | (code[at + 1] & 0xFF);
    }

    private String where(int pc, Opcode op) {
        return "F" + index + " `" + fn.name() + "`" + (pc >= 0 ? " at " + Verifier.offset(pc) : "")
                + (op != null ? " " + op : "") + (pc >= 0 ? ": " : " ");
    }

    private void error(int pc, Opcode op, String message) {
        errors.add(new VerifyError(index, pc, where(pc, op) + message));
    }

    private void error(int pc, String message) {
        errors.add(new VerifyError(index, pc, where(pc, null) + message));
    }
}

package dev.manaknight.lang.verify;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Limits;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.HttpMethod;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies one function's code: decoding, operands, jump targets, then an abstract
 * interpretation over the types of stack slots and locals (see verifier.md).
 */
final class CodeVerifier {
    /**
     * What a function's code reaches, for the module-level checks.
     *
     * @param returnPcs the reachable RET_P/RET_R (a route handler must have none)
     * @param respondPcs the reachable RESPONDs (a test must reach none)
     */
    record Summary(BitSet calls, List<Integer> requestPcs, List<Integer> returnPcs, List<Integer> respondPcs) {}

    /**
     * Instructions the interpretation may step per code byte before it gives up: compiled code
     * settles in a few passes; only code whose types grow around a loop gets near this.
     */
    private static final long STEPS_PER_BYTE = 64;
    private static final long MIN_STEPS = 4096;

    private final Module module;
    private final ModuleTypes types;
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
    private final List<Integer> returnPcs = new ArrayList<>();
    private final List<Integer> respondPcs = new ArrayList<>();
    /** Instructions whose operands are out of range: the interpretation stops there. */
    private final BitSet badOperands = new BitSet();

    private CodeVerifier(Module module, ModuleTypes types, int index) {
        this.module = module;
        this.types = types;
        this.index = index;
        this.fn = module.functions().get(index);
        this.code = fn.code();
    }

    /**
     * Adds every problem of function `index` to `out` and returns what its code reaches. The types
     * are interpreted only when `typesResolve` (every name the module's tables use is declared):
     * otherwise the module-level errors say what is missing.
     */
    static Summary verify(Module module, ModuleTypes types, int index, boolean typesResolve, List<VerifyError> out) {
        var v = new CodeVerifier(module, types, index);
        v.run(typesResolve);
        out.addAll(v.errors);
        return new Summary(v.calls, v.requestPcs, v.returnPcs, v.respondPcs);
    }

    private void run(boolean typesResolve) {
        if (code == null || fn.params() == null || fn.result() == null || fn.lines() == null) {
            error(-1, "is incomplete: its code, line table, parameter types or result type is missing");
            return;
        }
        boolean frameOk = checkFrame();
        checkLines();
        boolean decoded = decode();
        checkOperands();
        // without whole instructions there is nothing sound to interpret
        if (frameOk && decoded && typesResolve) flow();
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
                    refuse(pc, op, "#" + u16(pc + 1) + " is " + kindName(c) + ", not a String or Decimal constant");
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
            case FAIL, EXPECT, EXPECT_FAILED -> {
                Constant c = constant(pc, op);
                if (c != null && !(c instanceof Constant.StrConst))
                    error(pc, op, "#" + u16(pc + 1) + " is " + kindName(c) + ", not a String constant");
            }
            case CONFIG_P, CONFIG_R -> {
                int k = u16(pc + 1);
                if (k >= module.settings().size()) {
                    refuse(pc, op, "config key K" + k + " is outside the config table (" + module.settings().size() + " entries)");
                } else {
                    var s = module.settings().get(k);
                    boolean prim = s.type() != null && s.type().kind() == dev.manaknight.lang.model.Kind.P;
                    if (prim != (op == Opcode.CONFIG_P))
                        refuse(pc, op, "config key K" + k + " " + s.name() + " is " + s.type() + ", read with "
                                + (prim ? "CONFIG_P" : "CONFIG_R"));
                }
            }
            case LOAD_P, LOAD_R, STORE_P, STORE_R -> {
                int slot = code[pc + 1] & 0xFF;
                if (slot >= fn.locals()) refuse(pc, op, "slot " + slot + " is outside the function's " + fn.locals() + " locals");
            }
            case RECORD_NEW -> record(pc, op);
            case GET_FIELD, WITH_FIELD -> {
                TypeDef.RecordDef r = record(pc, op);
                int field = code[pc + 3] & 0xFF;
                if (r != null && field >= r.fields().size())
                    refuse(pc, op, "field " + field + " is outside record " + r.name() + " (" + r.fields().size() + " fields)");
            }
            case ENUM_NEW -> {
                int t = u16(pc + 1);
                int variant = code[pc + 3] & 0xFF;
                if (t >= module.types().size()) {
                    refuse(pc, op, "type T" + t + " is outside the type table (" + module.types().size() + " entries)");
                } else if (!(module.types().get(t) instanceof TypeDef.EnumDef e)) {
                    refuse(pc, op, "type T" + t + " (" + module.types().get(t).name() + ") is not an enum");
                } else if (variant >= e.variants().size()) {
                    refuse(pc, op, "variant " + variant + " is outside enum " + e.name() + " (" + e.variants().size()
                            + " variants)");
                }
            }
            case JUMP, JUMP_IF_FALSE, JUMP_IF_TRUE, LOOP -> {
                int target = u16(pc + 1);
                if (target >= code.length || !starts.get(target)) {
                    refuse(pc, op, "target " + target + " is not the start of an instruction");
                } else if (op == Opcode.LOOP && target > pc) {
                    refuse(pc, op, "target " + target + " is forward; LOOP must jump backward");
                } else if (op != Opcode.LOOP && target <= pc) {
                    refuse(pc, op, "target " + target + " is backward; " + op + " must jump forward (loops use LOOP)");
                } else {
                    targets.set(target);
                }
            }
            case CALL -> {
                int f = u16(pc + 1);
                if (f >= module.functions().size()) {
                    refuse(pc, op, "function F" + f + " is outside the function table (" + module.functions().size()
                            + " entries)");
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
                if (Builtin.of(id) == null)
                    refuse(pc, op, "builtin " + id + " does not exist (0.." + (Builtin.values().length - 1) + ")");
            }
            case EFFECT -> {
                int e = u16(pc + 1);
                if (e >= module.effects().size()) {
                    refuse(pc, op, "effect E" + e + " is outside the effect table (" + module.effects().size() + " entries)");
                } else {
                    EffectOp effect = module.effects().get(e);
                    if ((fn.capabilities() & effect.capability().bit()) == 0)
                        error(pc, op, "E" + e + " " + effect.qualifiedName() + " needs capability `" + effect.capability().sourceName()
                                + "`, which this function does not declare (effect operations not declared by the route)");
                }
            }
            case RESPOND_KEEP -> {
                if ((fn.capabilities() & Capability.DB.bit()) == 0)
                    error(pc, op, "keeps the request's database writes, but this function does not declare `db`");
            }
            case JSON, TO_JSON, FROM_JSON, BUILDER_NEW -> {
                int t = u16(pc + 1);
                if (t >= module.typeRefs().size())
                    refuse(pc, op, "type reference J" + t + " is outside the type references (" + module.typeRefs().size()
                            + " entries)");
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
            refuse(pc, op, "constant #" + k + " is outside the constant pool (" + module.constants().size() + " entries)");
            return null;
        }
        return module.constants().get(k);
    }

    private TypeDef.RecordDef record(int pc, Opcode op) {
        int t = u16(pc + 1);
        if (t >= module.types().size()) {
            refuse(pc, op, "type T" + t + " is outside the type table (" + module.types().size() + " entries)");
            return null;
        }
        if (!(module.types().get(t) instanceof TypeDef.RecordDef r)) {
            refuse(pc, op, "type T" + t + " (" + module.types().get(t).name() + ") is not a record");
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

    private void flow() {
        int capacity = Math.min(fn.maxStack(), Limits.MAX_STACK);
        var transfer = new Transfer(module, types, fn, capacity);
        State[] at = new State[code.length];
        State entry = new State(capacity, fn.locals());
        for (int i = 0; i < fn.params().size(); i++) entry.store(i, types.slot(fn.params().get(i)));
        at[0] = entry;
        targets.set(0);
        BitSet pending = new BitSet();
        pending.set(0);
        long budget = STEPS_PER_BYTE * code.length + MIN_STEPS;
        for (int start = pending.nextSetBit(0); start >= 0; start = pending.nextSetBit(0)) {
            pending.clear(start);
            if (broken.get(start)) continue;
            budget = walk(start, at[start].copy(), at, pending, transfer, budget);
            if (budget < 0) {
                error(start, Opcode.of(code[start] & 0xFF), "the types of this code do not settle within "
                        + (STEPS_PER_BYTE * code.length + MIN_STEPS) + " steps (values nest ever deeper around a loop)");
                return;
            }
        }
    }

    /**
     * Interprets from `pc` until control leaves the straight line; merges into jump targets.
     * Returns the step budget left, negative when it ran out.
     */
    private long walk(int pc, State s, State[] at, BitSet pending, Transfer transfer, long budget) {
        while (true) {
            if (--budget < 0) return budget;
            Opcode op = Opcode.of(code[pc] & 0xFF);
            if (badOperands.get(pc)) return budget; // reported by the operand checks; no sound state after it
            String wrong = transfer.step(pc, op, s);
            if (wrong != null) {
                if (!wrong.isEmpty()) error(pc, op, wrong);
                return budget;
            }
            if (op == Opcode.RET_P || op == Opcode.RET_R) returnPcs.add(pc);
            if ((op == Opcode.RESPOND || op == Opcode.RESPOND_KEEP) && !respondPcs.contains(pc)) respondPcs.add(pc);
            if (op == Opcode.JUMP_IF_FALSE || op == Opcode.JUMP_IF_TRUE || op == Opcode.JUMP || op == Opcode.LOOP) {
                merge(u16(pc + 1), s, at, pending);
            }
            if (op.terminal()) return budget;
            int next = pc + op.size;
            if (next >= code.length) {
                error(pc, op, "control falls off the end of the code");
                return budget;
            }
            if (targets.get(next)) {
                merge(next, s, at, pending);
                return budget;
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
            return;
        }
        Object merged = old.merge(s);
        if (merged instanceof String stacks) {
            error(target, Opcode.of(code[target] & 0xFF), "paths join with different stacks: " + stacks);
            broken.set(target); // no state is right here; going on would only report the consequences
        } else if (merged != null) {
            pending.set(target);
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private int u16(int at) {
        return ((code[at] & 0xFF) << 8) | (code[at + 1] & 0xFF);
    }

    private String where(int pc, Opcode op) {
        return "F" + index + " `" + fn.name() + "`" + (pc >= 0 ? " at " + Verifier.offset(pc) : "")
                + (op != null ? " " + op : "") + (pc >= 0 ? ": " : " ");
    }

    /** An operand out of range: reported, and the interpretation stops at this instruction (it has no typing rule). */
    private void refuse(int pc, Opcode op, String message) {
        error(pc, op, message);
        badOperands.set(pc);
    }

    private void error(int pc, Opcode op, String message) {
        errors.add(new VerifyError(index, pc, where(pc, op) + message));
    }

    private void error(int pc, String message) {
        errors.add(new VerifyError(index, pc, where(pc, null) + message));
    }
}

package dev.manaknight.lang.verify;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The typing rule of every instruction (verifier.md, "Types"): what it needs below the stack top
 * and what it leaves there. {@link #step} applies one instruction to a {@link State}; it assumes
 * the instruction decoded and its operands passed CodeVerifier's range checks.
 */
final class Transfer {
    /** Returned by {@link #step} when the path cannot go on and the reason was reported already. */
    static final String STOP = "";

    private static final VType P = VType.Prim.P;
    private static final VType STRING = VType.Scalar.STRING;
    private static final VType DECIMAL = VType.Scalar.DECIMAL;
    private static final VType NOTHING = VType.Nothing.NOTHING;

    private final Module module;
    private final ModuleTypes types;
    private final Function fn;
    private final byte[] code;
    private final int maxStack;

    Transfer(Module module, ModuleTypes types, Function fn, int maxStack) {
        this.module = module;
        this.types = types;
        this.fn = fn;
        this.code = fn.code();
        this.maxStack = maxStack;
    }

    /** What an operand must be, said as in messages ("a List", "String"). */
    private record Want(String what, Predicate<VType> test) {
        static Want of(VType t) { return new Want(t == P ? "P" : t.toString(), v -> Lattice.fits(v, t)); }

        static final Want ANY_R = new Want("a reference", v -> v != P);
        /** What may be compared, shown or put into a container: any reference but a Secret. */
        static final Want VALUE = new Want("a reference that is not a Secret", v -> v != P && v != VType.Scalar.SECRET);
        static final Want LIST = new Want("a List", v -> list(v) != null);
    }

    /**
     * Applies the instruction at `pc` to `s`. Returns null when it applies, else the message of
     * the error that stops this path ({@link #STOP} when it was reported already).
     */
    String step(int pc, Opcode op, State s) {
        return switch (op) {
            case NOP, JUMP, LOOP -> null;
            case CONST -> push(s, module.constants().get(u16(pc + 1)) instanceof Constant.StrConst ? STRING : DECIMAL);
            case CONST_INT, CONST_FLOAT, SMALL_INT, TRUE, FALSE, CONFIG_P -> push(s, P);
            case CONFIG_R -> push(s, types.ref(module.settings().get(u16(pc + 1)).type()));
            case UNIT -> push(s, VType.Scalar.UNIT);
            case NONE -> push(s, new VType.OptionOf(NOTHING));
            case LOAD_P, LOAD_R -> load(pc, op, s);
            case STORE_P -> apply(s, List.of(Want.of(P)), null, ops -> s.store(u8(pc + 1), P));
            case STORE_R -> apply(s, List.of(Want.ANY_R), null, ops -> s.store(u8(pc + 1), ops[0]));
            case POP_P, JUMP_IF_FALSE, JUMP_IF_TRUE, EXPECT -> apply(s, List.of(Want.of(P)), null, null);
            case POP_R -> apply(s, List.of(Want.ANY_R), null, null);

            case ADD_INT, SUB_INT, MUL_INT, DIV_INT, MOD_INT, EQ_INT, NE_INT, LT_INT, LE_INT, GT_INT, GE_INT,
                 ADD_FLT, SUB_FLT, MUL_FLT, DIV_FLT, MOD_FLT, EQ_FLT, NE_FLT, LT_FLT, LE_FLT, GT_FLT, GE_FLT ->
                    apply(s, List.of(Want.of(P), Want.of(P)), P, null);
            case NEG_INT, NEG_FLT, LT0, LE0, GT0, GE0, NOT -> apply(s, List.of(Want.of(P)), P, null);
            case ADD_DEC, SUB_DEC, MUL_DEC, DIV_DEC, MOD_DEC ->
                    apply(s, List.of(Want.of(DECIMAL), Want.of(DECIMAL)), DECIMAL, null);
            case NEG_DEC -> apply(s, List.of(Want.of(DECIMAL)), DECIMAL, null);
            case CMP_DEC -> apply(s, List.of(Want.of(DECIMAL), Want.of(DECIMAL)), P, null);
            case CMP_STR -> apply(s, List.of(Want.of(STRING), Want.of(STRING)), P, null);
            case EQ_R, NE_R -> apply(s, List.of(Want.VALUE, Want.VALUE), P, null);

            case CONCAT -> apply(s, repeat(Want.of(STRING), u8(pc + 1)), STRING, null);
            case STR_INT, STR_FLT, STR_BOOL -> apply(s, List.of(Want.of(P)), STRING, null);
            case STR_ANY -> apply(s, List.of(Want.VALUE), STRING, null);
            case BOX_INT -> apply(s, List.of(Want.of(P)), VType.Scalar.INT, null);
            case BOX_FLT -> apply(s, List.of(Want.of(P)), VType.Scalar.FLOAT, null);
            case BOX_BOOL -> apply(s, List.of(Want.of(P)), VType.Scalar.BOOL, null);
            case UNBOX_INT -> apply(s, List.of(Want.of(VType.Scalar.INT)), P, null);
            case UNBOX_FLT -> apply(s, List.of(Want.of(VType.Scalar.FLOAT)), P, null);
            case UNBOX_BOOL -> apply(s, List.of(Want.of(VType.Scalar.BOOL)), P, null);

            case LIST_NEW -> collection(pc, s, u16(pc + 1), false);
            case MAP_NEW -> collection(pc, s, u16(pc + 1), true);
            case LIST_CONCAT -> listConcat(s);
            case LIST_LEN -> apply(s, List.of(Want.LIST), P, null);
            case LIST_INDEX -> listIndex(s);
            case BUILDER_NEW -> push(s, new VType.Builder(types.ref(module.typeRefs().get(u16(pc + 1)))));
            case BUILDER_ADD -> builderAdd(s);
            case BUILDER_LIST -> builderList(s);

            case RECORD_NEW -> recordNew(pc, s);
            case GET_FIELD -> getField(pc, s);
            case WITH_FIELD -> withField(pc, s);
            case ENUM_NEW -> enumNew(pc, s);
            case VARIANT -> variant(s);
            case PAYLOAD -> payload(pc, s);
            case SOME -> wrap(s, x -> new VType.OptionOf(x));
            case OK -> wrap(s, x -> new VType.ResultOf(x, NOTHING));
            case ERR -> wrap(s, x -> new VType.ResultOf(NOTHING, x));

            case CALL -> call(pc, s);
            case RET_P, RET_R -> ret(op, s);
            case BUILTIN -> builtin(pc, s);
            case EFFECT -> effect(pc, s);
            case JSON -> apply(s, List.of(Want.of(types.ref(module.typeRefs().get(u16(pc + 1))))), VType.Scalar.BODY, null);
            case TO_JSON -> apply(s, List.of(Want.of(types.ref(module.typeRefs().get(u16(pc + 1))))), VType.Scalar.JSON, null);
            case FROM_JSON -> apply(s, List.of(Want.of(VType.Scalar.JSON)),
                    new VType.ResultOf(types.ref(module.typeRefs().get(u16(pc + 1))), VType.Scalar.STRING), null);
            case TEXT -> apply(s, List.of(Want.of(STRING)), VType.Scalar.BODY, null);
            case RESPOND, RESPOND_KEEP -> respond(pc, s);
            case FAIL -> null;
            case REQUEST -> request(s);
            case EXPECT_FAILED -> apply(s, List.of(Want.of(STRING)), null, null);
        };
    }

    // --- the general rule ------------------------------------------------------------------------

    /** Effects that read the popped operands (deepest first) after the checks passed. */
    private interface After {
        void accept(VType[] operands);
    }

    /** Pops `wants` (deepest first), checks each, runs `after` (may be null), pushes `pushes` (null: nothing). */
    private String apply(State s, List<Want> wants, VType pushes, After after) {
        String wrong = check(s, wants);
        if (wrong != null) return wrong;
        if (after != null) after.accept(Arrays.copyOfRange(s.stack, s.height - wants.size(), s.height));
        s.height -= wants.size();
        return pushes == null ? null : push(s, pushes);
    }

    /** Null when the top of the stack holds what `wants` says (deepest first), else the message. */
    private static String check(State s, List<Want> wants) {
        int n = wants.size();
        if (s.height < n) return underflow(n, s);
        for (int i = 0; i < n; i++) {
            VType v = s.stack[s.height - n + i];
            if (!wants.get(i).test().test(v)) return operand(i, n, wants.get(i).what(), v, s);
        }
        return null;
    }

    private static String underflow(int n, State s) {
        return "needs " + n + " value" + (n == 1 ? "" : "s") + " but the stack holds " + s.height + " " + s.describe();
    }

    private static String operand(int i, int n, String wanted, VType actual, State s) {
        return "operand " + (i + 1) + " of " + n + " must be " + wanted + " but is " + actual + "; stack " + s.describe();
    }

    private String push(State s, VType t) {
        if (t == null) return STOP; // a type the module cannot name: reported by the module-level checks
        if (Lattice.tooLarge(t))
            return "makes a value of a type larger than the verifier follows (" + Lattice.MAX_NODES + " nodes, nesting "
                    + Lattice.MAX_DEPTH + ")";
        if (s.height >= maxStack) return "stack depth " + (s.height + 1) + " exceeds the declared maxStack " + fn.maxStack();
        s.stack[s.height++] = t;
        return null;
    }

    private static List<Want> repeat(Want w, int n) {
        var out = new ArrayList<Want>(n);
        for (int i = 0; i < n; i++) out.add(w);
        return out;
    }

    // --- locals ----------------------------------------------------------------------------------

    private String load(int pc, Opcode op, State s) {
        int slot = u8(pc + 1);
        VType t = s.locals[slot];
        if (t == null) return "slot " + slot + (s.conflicts.get(slot) ? " holds values of different types on different paths"
                : " is not assigned on every path to here");
        if ((op == Opcode.LOAD_P) != (t == P)) return "slot " + slot + " holds " + t;
        return push(s, t);
    }

    // --- collections -----------------------------------------------------------------------------

    /** LIST_NEW n (n values) or MAP_NEW n (n String keys and values): the elements join. */
    private String collection(int pc, State s, int n, boolean map) {
        int pops = map ? 2 * n : n;
        if (s.height < pops) return underflow(pops, s);
        VType element = NOTHING;
        for (int i = 0; i < pops; i++) {
            VType v = s.stack[s.height - pops + i];
            boolean key = map && i % 2 == 0;
            if (key ? !Lattice.fits(v, STRING) : v == P || v == VType.Scalar.SECRET)
                return operand(i, pops, key ? "String" : "a reference that is not a Secret", v, s);
            if (key) continue;
            VType j = Lattice.join(element, v);
            if (j == null) return (map ? "map values" : "list elements") + " have no common type: " + element + " and " + v;
            element = j;
        }
        s.height -= pops;
        return push(s, map ? new VType.MapOf(element) : new VType.ListOf(element));
    }

    private String listConcat(State s) {
        String wrong = check(s, List.of(Want.LIST, Want.LIST));
        if (wrong != null) return wrong;
        VType a = s.peek(2), b = s.peek(1);
        VType element = Lattice.join(list(a), list(b));
        if (element == null) return "concatenates lists with no common element type: " + a + " and " + b;
        s.height -= 2;
        return push(s, new VType.ListOf(element));
    }

    private String listIndex(State s) {
        String wrong = check(s, List.of(Want.LIST, Want.of(P)));
        if (wrong != null) return wrong;
        VType element = list(s.peek(2));
        s.height -= 2;
        return push(s, element);
    }

    /** The element type of a list type (Nothing for Nothing), or null when `t` is no list. */
    private static VType list(VType t) {
        if (t == NOTHING) return NOTHING;
        return t instanceof VType.ListOf l ? l.element() : null;
    }

    private String builderAdd(State s) {
        if (s.height < 2) return underflow(2, s);
        VType b = s.peek(2), v = s.peek(1);
        if (b == NOTHING) {
            s.height -= 2;
            return null;
        }
        if (!(b instanceof VType.Builder builder)) return operand(0, 2, "a Builder", b, s);
        if (!Lattice.fits(v, builder.element())) return operand(1, 2, builder.element().toString(), v, s);
        s.height -= 2;
        return null;
    }

    private String builderList(State s) {
        if (s.height < 1) return underflow(1, s);
        VType b = s.peek(1);
        VType element = b == NOTHING ? NOTHING : b instanceof VType.Builder builder ? builder.element() : null;
        if (element == null) return operand(0, 1, "a Builder", b, s);
        s.height--;
        return push(s, new VType.ListOf(element));
    }

    // --- records and enums -----------------------------------------------------------------------

    private String recordNew(int pc, State s) {
        int t = u16(pc + 1);
        TypeDef.RecordDef r = types.record(t);
        var wants = new ArrayList<Want>();
        for (TypeDef.FieldDef f : r.fields()) wants.add(Want.of(types.ref(f.type())));
        return apply(s, wants, new VType.Named(t, r.name()), null);
    }

    private String getField(int pc, State s) {
        int t = u16(pc + 1);
        TypeDef.RecordDef r = types.record(t);
        VType field = types.ref(r.fields().get(u8(pc + 3)).type());
        return apply(s, List.of(Want.of(new VType.Named(t, r.name()))), field, null);
    }

    private String withField(int pc, State s) {
        int t = u16(pc + 1);
        TypeDef.RecordDef r = types.record(t);
        VType rec = new VType.Named(t, r.name());
        return apply(s, List.of(Want.of(rec), Want.of(types.ref(r.fields().get(u8(pc + 3)).type()))), rec, null);
    }

    private String enumNew(int pc, State s) {
        int t = u16(pc + 1);
        TypeDef.EnumDef e = types.enumDef(t);
        var wants = new ArrayList<Want>();
        for (TypeDef.FieldDef f : e.variants().get(u8(pc + 3)).fields()) wants.add(Want.of(types.ref(f.type())));
        return apply(s, wants, new VType.Named(t, e.name()), null);
    }

    private String variant(State s) {
        var sum = new Want("an enum, Option or Result", v -> v == NOTHING || v instanceof VType.OptionOf
                || v instanceof VType.ResultOf || v instanceof VType.Named n && types.enumDef(n.index()) != null);
        return apply(s, List.of(sum), P, null);
    }

    /** PAYLOAD v i: the type of payload i of variant v of the value's type (see the VM for the variant itself). */
    private String payload(int pc, State s) {
        int v = u8(pc + 1), i = u8(pc + 2);
        if (s.height < 1) return underflow(1, s);
        VType t = s.peek(1);
        VType content = switch (t) {
            case VType.Nothing n -> NOTHING;
            case VType.OptionOf o when v == 1 && i == 0 -> o.value();
            case VType.ResultOf r when v <= 1 && i == 0 -> v == 0 ? r.ok() : r.err();
            case VType.Named n when types.enumDef(n.index()) != null -> {
                TypeDef.EnumDef e = types.enumDef(n.index());
                if (v >= e.variants().size() || i >= e.variants().get(v).fields().size()) yield null;
                yield types.ref(e.variants().get(v).fields().get(i).type());
            }
            default -> null;
        };
        if (content == null) return "variant " + v + " of " + t + " has no payload " + i + "; stack " + s.describe();
        s.height--;
        return push(s, content);
    }

    private String wrap(State s, UnaryOperator<VType> make) {
        if (s.height < 1) return underflow(1, s);
        VType v = s.peek(1);
        if (v == P || v == VType.Scalar.SECRET) return operand(0, 1, "a reference that is not a Secret", v, s);
        s.height--;
        return push(s, make.apply(v));
    }

    // --- calls, effects, builtins, responses -------------------------------------------------------

    private String call(int pc, State s) {
        Function callee = module.functions().get(u16(pc + 1));
        var wants = new ArrayList<Want>();
        for (Type t : callee.params()) {
            VType v = types.slot(t);
            if (v == null) return STOP;
            wants.add(Want.of(v));
        }
        VType result = types.slot(callee.result());
        return result == null ? STOP : apply(s, wants, result, null);
    }

    private String ret(Opcode op, State s) {
        VType result = types.slot(fn.result());
        if (result == null) return STOP;
        if ((op == Opcode.RET_P) != (result == P))
            return "returns " + (op == Opcode.RET_P ? "P" : "a reference") + " but the function's result is " + fn.result();
        return apply(s, List.of(Want.of(result)), null, null);
    }

    private String builtin(int pc, State s) {
        Builtin b = Builtin.of(u16(pc + 1));
        Signature sig = Signature.of(b);
        int n = sig.params().size();
        if (s.height < n) return underflow(n, s);
        var operands = Arrays.asList(Arrays.copyOfRange(s.stack, s.height - n, s.height));
        return switch (sig.apply(operands)) {
            case Signature.Applied.Mismatch m -> b.name().toLowerCase(java.util.Locale.ROOT) + " (" + b.signature + "): "
                    + operand(m.operand(), n, m.expected(), operands.get(m.operand()), s);
            case Signature.Applied.Pushes p -> {
                s.height -= n;
                yield push(s, p.type());
            }
        };
    }

    private String effect(int pc, State s) {
        EffectOp op = module.effects().get(u16(pc + 1));
        var wants = new ArrayList<Want>();
        for (EffectOp.Param p : op.params()) {
            VType v = types.ref(p.type());
            if (v == null) return STOP;
            wants.add(Want.of(v));
        }
        VType result = types.ref(op.result());
        return result == null ? STOP : apply(s, wants, result, null);
    }

    private String respond(int pc, State s) {
        var wants = new ArrayList<Want>(List.of(Want.of(P), BODY));
        for (int i = 0; i < u8(pc + 1); i++) {
            wants.add(Want.of(STRING));
            wants.add(Want.of(STRING));
        }
        return apply(s, wants, null, null);
    }

    private String request(State s) {
        int response = types.response();
        if (response < 0) return "needs the record " + TypeDef.RESPONSE.name() + " " + TypeDef.RESPONSE.fields().stream()
                .map(f -> f.name() + ": " + f.type()).toList() + " in the type table";
        return apply(s, List.of(Want.of(STRING), BODY, Want.of(new VType.MapOf(STRING))),
                new VType.Named(response, TypeDef.RESPONSE.name()), null);
    }

    /** A response body: what `JSON J` or `TEXT` made, or Unit for none. */
    private static final Want BODY = new Want("a Body or Unit",
            t -> t == VType.Scalar.BODY || t == VType.Scalar.UNIT || t == NOTHING);

    // --- helpers -----------------------------------------------------------------------------------

    private int u8(int at) {
        return code[at] & 0xFF;
    }

    private int u16(int at) {
        return ((code[at] & 0xFF) << 8) | (code[at + 1] & 0xFF);
    }
}

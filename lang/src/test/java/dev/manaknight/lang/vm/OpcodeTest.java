package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.model.Kind;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Every instruction except the effect-related ones (EffectTest) and BUILTIN (BuiltinsTest). */
class OpcodeTest {
    private final Asm asm = new Asm();

    @Test
    void constantsAndImmediates() {
        int s = asm.str("héllo"), d = asm.dec("2.50"), i = asm.intConst(Long.MAX_VALUE), f = asm.floatConst(-1.25);
        assertEquals("héllo", ref(asm, c -> c.op(NOP).op(CONST, s)));
        assertEquals("2.50", ((BigDecimal) ref(asm, c -> c.op(CONST, d))).toPlainString());
        assertEquals(Long.MAX_VALUE, prim(asm, c -> c.op(CONST_INT, i)));
        assertEquals(-1.25, flt(asm, c -> c.op(CONST_FLOAT, f)));
        assertEquals(-32768, prim(asm, c -> c.op(SMALL_INT, -32768)));
        assertEquals(32767, prim(asm, c -> c.op(SMALL_INT, 32767)));
        assertEquals(1, prim(asm, c -> c.op(TRUE)));
        assertEquals(0, prim(asm, c -> c.op(FALSE)));
        assertSame(Values.Unit.UNIT, ref(asm, c -> c.op(UNIT)));
        assertSame(Values.None.NONE, ref(asm, c -> c.op(NONE)));
    }

    @Test
    void localsAndPops() {
        int s = asm.str("kept");
        int fn = asm.fn("locals").locals(2).result(Kind.R).code(c -> c
                .op(SMALL_INT, 7).op(STORE_P, 0)
                .op(CONST, s).op(STORE_R, 1)
                .op(SMALL_INT, 1).op(POP_P).op(UNIT).op(POP_R)
                .op(LOAD_P, 0).op(BOX_INT).op(LOAD_R, 1).op(LIST_NEW, 2).op(RET_R));
        assertEquals(list(7L, "kept"), returned(run(asm, fn)));
    }

    @Test
    void intArithmeticAndComparisons() {
        assertEquals(5, binInt(2, 3, ADD_INT));
        assertEquals(-1, binInt(2, 3, SUB_INT));
        assertEquals(6, binInt(2, 3, MUL_INT));
        assertEquals(-3, binInt(-7, 2, DIV_INT));
        assertEquals(-1, binInt(-7, 2, MOD_INT));
        assertEquals(-9, prim(asm, c -> c.op(SMALL_INT, 9).op(NEG_INT)));
        assertEquals(1, binInt(3, 3, EQ_INT));
        assertEquals(0, binInt(3, 3, NE_INT));
        assertEquals(1, binInt(2, 3, LT_INT));
        assertEquals(1, binInt(3, 3, LE_INT));
        assertEquals(0, binInt(3, 3, GT_INT));
        assertEquals(1, binInt(3, 3, GE_INT));
        assertEquals(0, binInt(4, 3, LE_INT));
    }

    @Test
    void intOverflowAndDivisionByZeroTrap() {
        int max = asm.intConst(Long.MAX_VALUE), min = asm.intConst(Long.MIN_VALUE);
        assertEquals(VmError.Kind.OVERFLOW, error(asm, c -> c.op(CONST_INT, max).op(SMALL_INT, 1).op(ADD_INT).op(POP_P)).kind());
        assertEquals(VmError.Kind.OVERFLOW, error(asm, c -> c.op(CONST_INT, min).op(SMALL_INT, 1).op(SUB_INT).op(POP_P)).kind());
        assertEquals(VmError.Kind.OVERFLOW, error(asm, c -> c.op(CONST_INT, max).op(SMALL_INT, 2).op(MUL_INT).op(POP_P)).kind());
        assertEquals(VmError.Kind.OVERFLOW, error(asm, c -> c.op(CONST_INT, min).op(SMALL_INT, -1).op(MUL_INT).op(POP_P)).kind());
        assertEquals(VmError.Kind.OVERFLOW, error(asm, c -> c.op(CONST_INT, min).op(SMALL_INT, -1).op(DIV_INT).op(POP_P)).kind());
        assertEquals(VmError.Kind.OVERFLOW, error(asm, c -> c.op(CONST_INT, min).op(NEG_INT).op(POP_P)).kind());
        VmError div = error(asm, c -> c.op(SMALL_INT, 5).op(SMALL_INT, 0).op(DIV_INT).op(POP_P));
        assertEquals(VmError.Kind.DIVISION_BY_ZERO, div.kind());
        assertEquals("division by zero: 5 / 0", div.message());
        assertEquals(VmError.Kind.DIVISION_BY_ZERO, error(asm, c -> c.op(SMALL_INT, 5).op(SMALL_INT, 0).op(MOD_INT).op(POP_P)).kind());
        // the edges that do not overflow
        assertEquals(Long.MIN_VALUE, prim(asm, c -> c.op(CONST_INT, max).op(NEG_INT).op(SMALL_INT, 1).op(SUB_INT)));
        assertEquals(Long.MIN_VALUE, prim(asm, c -> c.op(CONST_INT, min).op(SMALL_INT, 1).op(MUL_INT)));
        assertEquals(0, prim(asm, c -> c.op(CONST_INT, min).op(SMALL_INT, -1).op(MOD_INT)));
    }

    @Test
    void floatArithmeticIsIeee() {
        assertEquals(0.5 + 0.25, binFlt(0.5, 0.25, ADD_FLT));
        assertEquals(0.5 - 0.25, binFlt(0.5, 0.25, SUB_FLT));
        assertEquals(1.5 * 3, binFlt(1.5, 3, MUL_FLT));
        assertEquals(Double.POSITIVE_INFINITY, binFlt(1, 0, DIV_FLT));
        assertEquals(5.5 % 2, binFlt(5.5, 2, MOD_FLT));
        assertTrue(Double.isNaN(binFlt(0, 0, DIV_FLT)));
        int k = asm.floatConst(2.5);
        assertEquals(-2.5, flt(asm, c -> c.op(CONST_FLOAT, k).op(NEG_FLT)));
        assertEquals(1, cmpFlt(1, 1, EQ_FLT));
        assertEquals(0, cmpFlt(Double.NaN, Double.NaN, EQ_FLT));
        assertEquals(1, cmpFlt(Double.NaN, Double.NaN, NE_FLT));
        assertEquals(1, cmpFlt(-0.0, 0.0, EQ_FLT));
        assertEquals(1, cmpFlt(1, 2, LT_FLT));
        assertEquals(1, cmpFlt(2, 2, LE_FLT));
        assertEquals(0, cmpFlt(Double.NaN, 2, LE_FLT));
        assertEquals(1, cmpFlt(3, 2, GT_FLT));
        assertEquals(0, cmpFlt(1, 2, GE_FLT));
    }

    @Test
    void decimalArithmeticIsExact() {
        assertEquals("3.305", dec("1.10", "2.205", ADD_DEC));
        assertEquals("-1.105", dec("1.10", "2.205", SUB_DEC));
        assertEquals("2.25", dec("1.5", "1.5", MUL_DEC));
        assertEquals("0.25", dec("1", "4", DIV_DEC));
        assertEquals("1.00", dec("3.00", "3", DIV_DEC)); // exact: the scale is kept
        assertEquals("0.3333333333333333333333333333333333", dec("1", "3", DIV_DEC));
        assertEquals("0.6666666666666666666666666666666667", dec("2", "3", DIV_DEC));
        assertEquals("0.50", dec("1.50", "3", DIV_DEC)); // exact: the dividend's scale is kept
        assertEquals("1.5", dec("5.5", "2", MOD_DEC));
        assertEquals("-1.5", dec("-5.5", "2", MOD_DEC));
        int a = asm.dec("2.50"), b = asm.dec("2.5"), z = asm.dec("0.00");
        assertEquals("-2.50", ((BigDecimal) ref(asm, c -> c.op(CONST, a).op(NEG_DEC))).toPlainString());
        assertEquals(0, prim(asm, c -> c.op(CONST, a).op(CONST, b).op(CMP_DEC)));
        assertEquals(-1, prim(asm, c -> c.op(CONST, z).op(CONST, b).op(CMP_DEC)));
        assertEquals(1, prim(asm, c -> c.op(CONST, b).op(CONST, z).op(CMP_DEC)));
        assertEquals(VmError.Kind.DIVISION_BY_ZERO, error(asm, c -> c.op(CONST, a).op(CONST, z).op(DIV_DEC).op(POP_R)).kind());
        assertEquals(VmError.Kind.DIVISION_BY_ZERO, error(asm, c -> c.op(CONST, a).op(CONST, z).op(MOD_DEC).op(POP_R)).kind());
    }

    @Test
    void comparisonsOfCodesAndReferences() {
        int x = asm.str("a"), y = asm.str("b"), bmp = asm.str("\uFFFF"), astral = asm.str("\uD83D\uDE00");
        assertEquals(-1, prim(asm, c -> c.op(CONST, x).op(CONST, y).op(CMP_STR)));
        assertEquals(1, prim(asm, c -> c.op(CONST, y).op(CONST, x).op(CMP_STR)));
        assertEquals(0, prim(asm, c -> c.op(CONST, y).op(CONST, y).op(CMP_STR)));
        assertEquals(-1, prim(asm, c -> c.op(CONST, bmp).op(CONST, astral).op(CMP_STR)), "by code point, not UTF-16 unit");
        long[][] cases = {{-1, 1, 1, 0, 0}, {0, 0, 1, 0, 1}, {1, 0, 0, 1, 1}};
        for (long[] k : cases) {
            assertEquals(k[1], prim(asm, c -> c.op(SMALL_INT, (int) k[0]).op(LT0)));
            assertEquals(k[2], prim(asm, c -> c.op(SMALL_INT, (int) k[0]).op(LE0)));
            assertEquals(k[3], prim(asm, c -> c.op(SMALL_INT, (int) k[0]).op(GT0)));
            assertEquals(k[4], prim(asm, c -> c.op(SMALL_INT, (int) k[0]).op(GE0)));
        }
        int d1 = asm.dec("1.0"), d2 = asm.dec("1.00");
        Consumer2 twoLists = (c, op) -> c.op(CONST, d1).op(CONST, x).op(LIST_NEW, 2).op(CONST, d2).op(CONST, x).op(LIST_NEW, 2).op(op);
        assertEquals(1, prim(asm, c -> twoLists.emit(c, EQ_R)), "structural, decimals by value");
        assertEquals(0, prim(asm, c -> twoLists.emit(c, NE_R)));
        assertEquals(0, prim(asm, c -> c.op(CONST, x).op(CONST, y).op(EQ_R)));
        assertEquals(1, prim(asm, c -> c.op(FALSE).op(NOT)));
        assertEquals(0, prim(asm, c -> c.op(TRUE).op(NOT)));
    }

    interface Consumer2 { void emit(CodeBuilder c, dev.manaknight.lang.bytecode.Opcode op); }

    @Test
    void textConversions() {
        int a = asm.str("a"), b = asm.str("ü"), f = asm.floatConst(1.5), min = asm.intConst(Long.MIN_VALUE);
        assertEquals("aüa", ref(asm, c -> c.op(CONST, a).op(CONST, b).op(CONST, a).op(CONCAT, 3)));
        assertEquals("", ref(asm, c -> c.op(CONCAT, 0)));
        assertEquals("-9223372036854775808", ref(asm, c -> c.op(CONST_INT, min).op(STR_INT)));
        assertEquals("1.5", ref(asm, c -> c.op(CONST_FLOAT, f).op(STR_FLT)));
        assertEquals("true", ref(asm, c -> c.op(TRUE).op(STR_BOOL)));
        assertEquals("false", ref(asm, c -> c.op(FALSE).op(STR_BOOL)));
        assertEquals("[1, \"a\"]", ref(asm, c -> c.op(SMALL_INT, 1).op(BOX_INT).op(CONST, a).op(LIST_NEW, 2).op(STR_ANY)));
        assertEquals("a", ref(asm, c -> c.op(CONST, a).op(STR_ANY)));
    }

    @Test
    void boxingRoundTrips() {
        int f = asm.floatConst(-0.5);
        assertEquals(-3L, ref(asm, c -> c.op(SMALL_INT, -3).op(BOX_INT)));
        assertEquals(-0.5, ref(asm, c -> c.op(CONST_FLOAT, f).op(BOX_FLT)));
        assertEquals(Boolean.TRUE, ref(asm, c -> c.op(TRUE).op(BOX_BOOL)));
        assertEquals(-3, prim(asm, c -> c.op(SMALL_INT, -3).op(BOX_INT).op(UNBOX_INT)));
        assertEquals(-0.5, flt(asm, c -> c.op(CONST_FLOAT, f).op(BOX_FLT).op(UNBOX_FLT)));
        assertEquals(1, prim(asm, c -> c.op(TRUE).op(BOX_BOOL).op(UNBOX_BOOL)));
        assertEquals(0, prim(asm, c -> c.op(FALSE).op(BOX_BOOL).op(UNBOX_BOOL)));
    }

    @Test
    void lists() {
        int a = asm.str("a"), b = asm.str("b");
        assertEquals(list("a", "b", "a"), ref(asm, c -> c.op(CONST, a).op(CONST, b).op(LIST_NEW, 2).op(CONST, a).op(LIST_NEW, 1).op(LIST_CONCAT)));
        assertSame(Values.ListValue.EMPTY, ref(asm, c -> c.op(LIST_NEW, 0)));
        assertEquals(2, prim(asm, c -> c.op(CONST, a).op(CONST, b).op(LIST_NEW, 2).op(LIST_LEN)));
        assertEquals("b", ref(asm, c -> c.op(CONST, a).op(CONST, b).op(LIST_NEW, 2).op(SMALL_INT, 1).op(LIST_INDEX)));
        VmError e = error(asm, c -> c.op(CONST, a).op(LIST_NEW, 1).op(SMALL_INT, 1).op(LIST_INDEX).op(POP_R));
        assertEquals(VmError.Kind.INDEX_OUT_OF_RANGE, e.kind());
        assertEquals("index 1 is out of range for a list of 1", e.message());
        assertEquals(VmError.Kind.INDEX_OUT_OF_RANGE,
                error(asm, c -> c.op(CONST, a).op(LIST_NEW, 1).op(SMALL_INT, -1).op(LIST_INDEX).op(POP_R)).kind());
    }

    @Test
    void mapLiteralsKeepFirstPlaceAndTakeLaterValue() {
        int a = asm.str("a"), b = asm.str("b");
        var m = (Values.MapValue) ref(asm, c -> c.op(CONST, a).op(SMALL_INT, 1).op(BOX_INT).op(CONST, b).op(SMALL_INT, 2).op(BOX_INT)
                .op(CONST, a).op(SMALL_INT, 3).op(BOX_INT).op(MAP_NEW, 3));
        assertArrayEquals(new String[] {"a", "b"}, m.keys());
        assertArrayEquals(new Object[] {3L, 2L}, m.values());
        // more keys than the scan threshold take the hashed path; same rule
        int[] keys = new int[10];
        for (int i = 0; i < 10; i++) keys[i] = asm.str("k" + i);
        var big = (Values.MapValue) ref(asm, c -> {
            for (int i = 0; i < 10; i++) c.op(CONST, keys[i]).op(SMALL_INT, i).op(BOX_INT);
            c.op(CONST, keys[0]).op(SMALL_INT, 99).op(BOX_INT).op(MAP_NEW, 11);
        });
        assertEquals(10, big.size());
        assertEquals("k0", big.keys()[0]);
        assertEquals(99L, big.values()[0]);
        assertSame(Values.MapValue.EMPTY, ref(asm, c -> c.op(MAP_NEW, 0)));
    }

    @Test
    void builders() {
        int fn = asm.fn("build").locals(1).result(Kind.R).code(c -> c
                .op(BUILDER_NEW, 0).op(STORE_R, 0)
                .op(LOAD_R, 0).op(SMALL_INT, 1).op(BOX_INT).op(BUILDER_ADD)
                .op(LOAD_R, 0).op(SMALL_INT, 2).op(BOX_INT).op(BUILDER_ADD)
                .op(LOAD_R, 0).op(BUILDER_LIST).op(RET_R));
        assertEquals(list(1L, 2L), returned(run(asm, fn)));
        // growth past the first capacity
        int grow = asm.fn("grow").locals(1).result(Kind.R).code(c -> {
            c.op(BUILDER_NEW, 0).op(STORE_R, 0);
            for (int i = 0; i < 20; i++) c.op(LOAD_R, 0).op(SMALL_INT, i).op(BOX_INT).op(BUILDER_ADD);
            c.op(LOAD_R, 0).op(BUILDER_LIST).op(LIST_LEN).op(BOX_INT).op(RET_R);
        });
        assertEquals(20L, returned(run(asm, grow)));
        assertSame(Values.ListValue.EMPTY, ref(asm, c -> c.op(BUILDER_NEW, 0).op(BUILDER_LIST)));
    }

    @Test
    void recordsAreBuiltReadAndCopied() {
        int user = asm.record("User", "id", "name");
        int n = asm.str("Ann"), m = asm.str("Bob");
        var rec = (Values.RecordValue) ref(asm, c -> c.op(SMALL_INT, 1).op(BOX_INT).op(CONST, n).op(RECORD_NEW, user));
        assertEquals("User { id: 1, name: \"Ann\" }", Values.display(rec));
        assertEquals("Ann", ref(asm, c -> c.op(SMALL_INT, 1).op(BOX_INT).op(CONST, n).op(RECORD_NEW, user).op(GET_FIELD, user, 1)));
        int fn = asm.fn("copy").locals(1).result(Kind.R).code(c -> c
                .op(SMALL_INT, 1).op(BOX_INT).op(CONST, n).op(RECORD_NEW, user).op(STORE_R, 0)
                .op(LOAD_R, 0).op(CONST, m).op(WITH_FIELD, user, 1)
                .op(LOAD_R, 0).op(LIST_NEW, 2).op(RET_R));
        var both = (Values.ListValue) returned(run(asm, fn));
        assertEquals("Bob", ((Values.RecordValue) both.get(0)).fields()[1]);
        assertEquals("Ann", ((Values.RecordValue) both.get(1)).fields()[1], "the original is unchanged");
    }

    @Test
    void enumsOptionsAndResults() {
        int role = asm.enumType("Role", "admin", "suspended/1");
        int why = asm.str("late");
        assertEquals("admin", Values.display(ref(asm, c -> c.op(ENUM_NEW, role, 0))));
        // payload-less variants are one shared value per program
        int twice = asm.fn("twice").result(Kind.R).code(c -> c.op(ENUM_NEW, role, 0).op(ENUM_NEW, role, 0).op(LIST_NEW, 2).op(RET_R));
        Program program = asm.program();
        var l = (Values.ListValue) returned(new Vm(program, new FakeHost(), ROOMY, ALL).invoke(twice));
        assertSame(l.get(0), l.get(1));
        assertSame(program.plainVariant(role, 0), l.get(0));
        var s = (Values.EnumValue) ref(asm, c -> c.op(CONST, why).op(ENUM_NEW, role, 1));
        assertEquals("suspended(\"late\")", Values.display(s));
        assertEquals(1, prim(asm, c -> c.op(CONST, why).op(ENUM_NEW, role, 1).op(VARIANT)));
        assertEquals(0, prim(asm, c -> c.op(ENUM_NEW, role, 0).op(VARIANT)));
        assertEquals("late", ref(asm, c -> c.op(CONST, why).op(ENUM_NEW, role, 1).op(PAYLOAD, 1, 0)));
        assertEquals(0, prim(asm, c -> c.op(NONE).op(VARIANT)));
        assertEquals(1, prim(asm, c -> c.op(CONST, why).op(SOME).op(VARIANT)));
        assertEquals(0, prim(asm, c -> c.op(CONST, why).op(OK).op(VARIANT)));
        assertEquals(1, prim(asm, c -> c.op(CONST, why).op(ERR).op(VARIANT)));
        assertEquals("late", ref(asm, c -> c.op(CONST, why).op(SOME).op(PAYLOAD, 1, 0)));
        assertEquals("late", ref(asm, c -> c.op(CONST, why).op(OK).op(PAYLOAD, 0, 0)));
        assertEquals("late", ref(asm, c -> c.op(CONST, why).op(ERR).op(PAYLOAD, 1, 0)));
        assertEquals(new Values.Err("late"), ref(asm, c -> c.op(CONST, why).op(ERR)));
    }

    @Test
    void payloadOfAnotherVariantIsABadValueNotAnInternalError() {
        // issue 13: the verifier proves a value's type, not which variant it holds; PAYLOAD names
        // the variant it reads and the VM refuses a value of another one as a bad value
        int role = asm.enumType("Role", "admin", "suspended/1");
        int why = asm.str("late");
        VmError admin = error(asm, c -> c.op(ENUM_NEW, role, 0).op(PAYLOAD, 1, 0).op(POP_R));
        assertEquals(VmError.Kind.BAD_VALUE, admin.kind());
        assertEquals("PAYLOAD of variant 1 read from a value that is `admin`", admin.message());
        assertEquals(VmError.Kind.BAD_VALUE, error(asm, c -> c.op(NONE).op(PAYLOAD, 1, 0).op(POP_R)).kind());
        assertEquals(VmError.Kind.BAD_VALUE, error(asm, c -> c.op(CONST, why).op(OK).op(PAYLOAD, 1, 0).op(POP_R)).kind());
        assertEquals(VmError.Kind.BAD_VALUE, error(asm, c -> c.op(CONST, why).op(ERR).op(PAYLOAD, 0, 0).op(POP_R)).kind());
        assertEquals(VmError.Kind.BAD_VALUE, error(asm, c -> c.op(CONST, why).op(SOME).op(PAYLOAD, 0, 0).op(POP_R)).kind());
    }

    @Test
    void sortingByAKeyListOfAnotherLengthIsABadValue() {
        // issue 13: compiled code makes one key per element; a module that pairs other lists is refused at run time
        int one = asm.str("x");
        VmError e = error(asm, c -> c.op(CONST, one).op(CONST, one).op(LIST_NEW, 2).op(CONST, one).op(LIST_NEW, 1)
                .op(BUILTIN, Builtin.LIST_SORT_BY_KEYS.id()).op(POP_R));
        assertEquals(VmError.Kind.BAD_VALUE, e.kind());
        assertEquals("sortBy: 2 elements but 1 keys", e.message());
    }

    @Test
    void jumpsAndLoops() {
        // sum = 0; i = 0; while i < 10 { sum += i; i += 1 }; sum
        int fn = asm.fn("sum").locals(2).result(Kind.P).code(c -> {
            var top = c.newLabel();
            var end = c.newLabel();
            c.op(SMALL_INT, 0).op(STORE_P, 0).op(SMALL_INT, 0).op(STORE_P, 1);
            c.bind(top).op(LOAD_P, 1).op(SMALL_INT, 10).op(LT_INT).jump(JUMP_IF_FALSE, end);
            c.op(LOAD_P, 0).op(LOAD_P, 1).op(ADD_INT).op(STORE_P, 0);
            c.op(LOAD_P, 1).op(SMALL_INT, 1).op(ADD_INT).op(STORE_P, 1).jump(LOOP, top);
            c.bind(end).op(LOAD_P, 0).op(RET_P);
        });
        assertEquals(45L, returned(run(asm, fn)));
        assertEquals(2, prim(asm, c -> {
            var skip = c.newLabel();
            c.op(SMALL_INT, 1).op(TRUE).jump(JUMP_IF_TRUE, skip).op(POP_P).op(SMALL_INT, 9).bind(skip)
                    .op(SMALL_INT, 1).op(ADD_INT);
        }));
        assertEquals(10, prim(asm, c -> {
            var skip = c.newLabel();
            c.op(SMALL_INT, 1).op(FALSE).jump(JUMP_IF_TRUE, skip).op(POP_P).op(SMALL_INT, 9).bind(skip)
                    .op(SMALL_INT, 1).op(ADD_INT);
        }));
        assertEquals(7, prim(asm, c -> {
            var over = c.newLabel();
            c.jump(JUMP, over).op(SMALL_INT, 1).op(RET_P).bind(over).op(SMALL_INT, 7);
        }));
    }

    @Test
    void callsPassArgumentsInBothLanesAndReturnToTheCaller() {
        // pick(n: Int, a: String, b: String): String, with a fourth, never-written local
        int pick = asm.fn("pick").params("PRR").locals(4).result(Kind.R).code(c -> {
            var second = c.newLabel();
            c.op(LOAD_R, 3).op(NONE).op(EQ_R).op(POP_P); // an empty local reads as nothing, without a crash
            c.op(LOAD_P, 0).jump(JUMP_IF_FALSE, second).op(LOAD_R, 1).op(RET_R);
            c.bind(second).op(LOAD_R, 2).op(RET_R);
        });
        int twice = asm.fn("twice").params("P").result(Kind.P).code(c -> c.op(LOAD_P, 0).op(SMALL_INT, 2).op(MUL_INT).op(RET_P));
        int a = asm.str("a"), b = asm.str("b");
        int main = asm.fn("main").locals(1).result(Kind.R).code(c -> c
                .op(CONST, b).op(STORE_R, 0)
                .op(TRUE).op(CONST, a).op(CONST, b).op(CALL, pick)
                .op(FALSE).op(CONST, a).op(CONST, b).op(CALL, pick)
                .op(SMALL_INT, 21).op(CALL, twice).op(BOX_INT)
                .op(LIST_NEW, 3).op(RET_R));
        assertEquals(list("a", "b", 42L), returned(run(asm, main)));
        assertEquals("b", returned(run(asm, pick, false, "a", "b")));
        assertEquals(42L, returned(run(asm, twice, 21L)));
    }

    @Test
    void aCalleesNonParameterLocalsNeverSeeStaleValues() {
        int stale = asm.str("stale");
        // probe(n: Int) with a second local: is it the stale string left in that slot by the caller?
        int probe = asm.fn("probe").params("P").locals(2).result(Kind.P).code(c -> c.op(LOAD_R, 1).op(CONST, stale).op(EQ_R).op(RET_P));
        int main = asm.fn("main").result(Kind.P).code(c -> c
                .op(CONST, stale).op(CONST, stale).op(EQ_R).op(POP_P) // leaves "stale" in the R lane of slots 0 and 1
                .op(SMALL_INT, 5).op(CALL, probe).op(RET_P));
        assertEquals(0L, returned(run(asm, main)));
    }

    @Test
    void invokeUnboxesBoolAndFloatArguments() {
        int id = asm.fn("id").params("PP").result(Kind.P).code(c -> c.op(LOAD_P, 0).op(POP_P).op(LOAD_P, 1).op(RET_P));
        assertEquals(Double.doubleToRawLongBits(2.5), returned(run(asm, id, true, 2.5)));
        assertEquals(1L, returned(run(asm, id, 0L, true)));
        assertThrows(IllegalArgumentException.class, () -> run(asm, id, 1L));
        assertThrows(IllegalArgumentException.class, () -> run(asm, id, 1L, "x"));
        assertThrows(IllegalArgumentException.class, () -> run(asm, 99));
    }

    @Test
    void failEndsTheRunWithItsMessage() {
        int k = asm.str("custom failure");
        VmError e = error(asm, c -> c.op(FAIL, k));
        assertEquals(VmError.Kind.EXPLICIT, e.kind());
        assertEquals("custom failure", e.message());
    }

    private long binInt(int a, int b, dev.manaknight.lang.bytecode.Opcode op) {
        return prim(asm, c -> c.op(SMALL_INT, a).op(SMALL_INT, b).op(op));
    }

    private double binFlt(double a, double b, dev.manaknight.lang.bytecode.Opcode op) {
        int x = asm.floatConst(a), y = asm.floatConst(b);
        return flt(asm, c -> c.op(CONST_FLOAT, x).op(CONST_FLOAT, y).op(op));
    }

    private long cmpFlt(double a, double b, dev.manaknight.lang.bytecode.Opcode op) {
        int x = asm.floatConst(a), y = asm.floatConst(b);
        return prim(asm, c -> c.op(CONST_FLOAT, x).op(CONST_FLOAT, y).op(op));
    }

    private String dec(String a, String b, dev.manaknight.lang.bytecode.Opcode op) {
        int x = asm.dec(a), y = asm.dec(b);
        return ((BigDecimal) ref(asm, c -> c.op(CONST, x).op(CONST, y).op(op))).toPlainString();
    }
}

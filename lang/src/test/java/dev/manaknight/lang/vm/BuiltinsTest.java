package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.model.Kind;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every entry of the builtin table, through {@code BUILTIN id}. */
class BuiltinsTest {
    private static final Set<Builtin> TESTED = EnumSet.noneOf(Builtin.class);
    private final Asm asm = new Asm();

    private CodeBuilder call(CodeBuilder c, Builtin b) {
        TESTED.add(b);
        return c.op(BUILTIN, b.id());
    }

    private Object str1(Builtin b, String s) {
        int k = asm.str(s);
        return ref(asm, c -> call(c.op(CONST, k), b));
    }

    private long strP(Builtin b, String... args) {
        return prim(asm, c -> { for (String s : args) c.op(CONST, asm.str(s)); call(c, b); });
    }

    private Object strR(Builtin b, String... args) {
        return ref(asm, c -> { for (String s : args) c.op(CONST, asm.str(s)); call(c, b); });
    }

    private Object decR(Builtin b, String... args) {
        return ref(asm, c -> { for (String s : args) c.op(CONST, asm.dec(s)); call(c, b); });
    }

    private double fltP(Builtin b, double... args) {
        return flt(asm, c -> { for (double d : args) c.op(CONST_FLOAT, asm.floatConst(d)); call(c, b); });
    }

    /** Pushes a list of strings. */
    private CodeBuilder strings(CodeBuilder c, String... items) {
        for (String s : items) c.op(CONST, asm.str(s));
        return c.op(LIST_NEW, items.length);
    }

    @Test
    void strings() {
        assertEquals(3, strP(Builtin.STR_LEN, "a\uD83D\uDE00b"), "code points, not UTF-16 units");
        assertEquals("STRASSE ÉTÉ", str1(Builtin.STR_UPPER, "straße été"));
        assertEquals("istanbul", str1(Builtin.STR_LOWER, "ISTANBUL"), "locale-independent");
        assertEquals("a b", str1(Builtin.STR_TRIM, "\u00A0\t a b \u2003\n"));
        assertEquals("", str1(Builtin.STR_TRIM, "   "));
        assertEquals(1, strP(Builtin.STR_CONTAINS, "hello", "ell"));
        assertEquals(0, strP(Builtin.STR_CONTAINS, "hello", "elo"));
        assertEquals(1, strP(Builtin.STR_STARTS_WITH, "hello", "he"));
        assertEquals(0, strP(Builtin.STR_STARTS_WITH, "hello", "lo"));
        assertEquals(1, strP(Builtin.STR_ENDS_WITH, "hello", "lo"));
        assertEquals(0, strP(Builtin.STR_ENDS_WITH, "hello", "he"));
        assertEquals(0, strP(Builtin.STR_STARTS_WITH, "he", "hello"));
        assertEquals(1, strP(Builtin.STR_CONTAINS, "hello", ""));
        assertEquals(1, strP(Builtin.STR_ENDS_WITH, "hello", ""));
        assertEquals(list("a", "b", ""), strR(Builtin.STR_SPLIT, "a,b,", ","));
        assertEquals(list("a", "b"), strR(Builtin.STR_SPLIT, "a::b", "::"));
        assertEquals(list(""), strR(Builtin.STR_SPLIT, "", ","));
        assertEquals(list("a", "\uD83D\uDE00", "b"), strR(Builtin.STR_SPLIT, "a\uD83D\uDE00b", ""));
        assertEquals("x-y-z", strR(Builtin.STR_REPLACE, "x.y.z", ".", "-"));
        assertEquals("a.b", strR(Builtin.STR_REPLACE, "a.b", "*", "-"), "literal, not a pattern");
        assertEquals("-a-\uD83D\uDE00-", strR(Builtin.STR_REPLACE, "a\uD83D\uDE00", "", "-"));
        assertEquals("aab", strR(Builtin.STR_REPLACE, "aaab", "aa", "a")); // left to right, no overlap
    }

    /** `b(s, i, j)` or `b(s, i)` (j absent) or `b(s, i, t)`: a String, Ints, and a String last when `tail` is not null. */
    private Object strInts(Builtin b, String s, long i, Long j, String tail) {
        int k = asm.str(s), n = asm.intConst(i);
        return ref(asm, c -> {
            c.op(CONST, k).op(CONST_INT, n);
            if (j != null) c.op(CONST_INT, asm.intConst(j));
            if (tail != null) c.op(CONST, asm.str(tail));
            call(c, b);
        });
    }

    @Test
    void codePoints() {
        String s = "h€llo \uD83D\uDE00 w";
        assertEquals("h€llo", strInts(Builtin.STR_SLICE, s, 0, 5L, null));
        assertEquals("\uD83D\uDE00", strInts(Builtin.STR_SLICE, s, 6, 7L, null), "an emoji is one code point");
        assertEquals(" w", strInts(Builtin.STR_SLICE, s, 7, 99L, null), "clamped to the end");
        assertEquals("h", strInts(Builtin.STR_SLICE, s, -5, 1L, null), "clamped to the start");
        assertEquals("", strInts(Builtin.STR_SLICE, s, 3, 2L, null));
        assertEquals("", strInts(Builtin.STR_SLICE, "", 0, 1L, null));
        assertEquals(new Values.Some(6L), strR(Builtin.STR_INDEX_OF, s, "\uD83D\uDE00"));
        assertEquals(new Values.Some(8L), strR(Builtin.STR_INDEX_OF, s, "w"), "counted in code points");
        assertEquals(new Values.Some(0L), strR(Builtin.STR_INDEX_OF, s, ""));
        assertSame(Values.None.NONE, strR(Builtin.STR_INDEX_OF, s, "x"));
        String long1 = "ab".repeat(40_000) + "c";
        assertEquals(new Values.Some(40_000L), strR(Builtin.STR_INDEX_OF, "\uD83D\uDE00".repeat(40_000) + long1, long1),
                "a two-way search, and the 40,000 code points (80,000 chars) before it counted in chunks");
        assertEquals("007", strInts(Builtin.STR_PAD_START, "7", 3, null, "0"));
        assertEquals("abab42", strInts(Builtin.STR_PAD_START, "42", 6, null, "ab"), "the last copy cut to fit");
        assertEquals("42", strInts(Builtin.STR_PAD_START, "42", -1, null, "0"));
        assertEquals("42", strInts(Builtin.STR_PAD_START, "42", 9, null, ""), "an empty fill pads nothing");
        assertEquals("\uD83D\uDE00..", strInts(Builtin.STR_PAD_END, "\uD83D\uDE00", 3, null, "."));
        assertEquals("x\uD83D\uDE00", strInts(Builtin.STR_PAD_END, "x", 2, null, "\uD83D\uDE00y"), "cut between code points");
        assertEquals("ababab", strInts(Builtin.STR_REPEAT, "ab", 3, null, null));
        assertEquals("", strInts(Builtin.STR_REPEAT, "ab", 0, null, null));
        assertEquals("ab", strInts(Builtin.STR_REPEAT, "ab", 1, null, null));
        int ab = asm.str("ab");
        VmError e = error(asm, c -> call(c.op(CONST, ab).op(SMALL_INT, -1), Builtin.STR_REPEAT).op(POP_R));
        assertEquals(VmError.Kind.BAD_VALUE, e.kind());
        assertEquals("repeat count -1 is negative", e.message());
    }

    @Test
    void numberFormats() {
        int group = asm.str(",");
        int min = asm.intConst(Long.MIN_VALUE);
        int million = asm.intConst(1234567);
        assertEquals("1,234,567", ref(asm, c -> call(c.op(CONST_INT, million).op(CONST, group), Builtin.INT_FORMAT)));
        assertEquals("-123", ref(asm, c -> call(c.op(SMALL_INT, -123).op(CONST, group), Builtin.INT_FORMAT)));
        assertEquals("-9,223,372,036,854,775,808",
                ref(asm, c -> call(c.op(CONST_INT, min).op(CONST, group), Builtin.INT_FORMAT)));
        assertEquals("1,234,567.89", formatDec("1234567.891", 2, ","));
        assertEquals("1 000 000", formatDec("999999.5", 0, " "), "half-even to 1000000");
        assertEquals("0.12", formatDec("0.125", 2, ","), "half-even");
        assertEquals("0.00", formatDec("-0.004", 2, ","), "no negative zero");
        assertEquals("-12.500", formatDec("-12.5", 3, ""));
        assertEquals("1--000.0", formatDec("1E+3", 1, "--"), "an exponent is printed plain");
        assertEquals("0." + "0".repeat(1000), formatDec("1E-1000000000", 1000, ","), "the largest scale");
        int d = asm.dec("1");
        for (int scale : new int[] {-1, 1001}) {
            VmError e = error(asm, c -> call(c.op(CONST, d).op(SMALL_INT, scale).op(CONST, group), Builtin.DEC_FORMAT).op(POP_R));
            assertEquals(VmError.Kind.BAD_VALUE, e.kind(), "scale " + scale);
        }
        assertEquals(new Values.Some(2L), decR(Builtin.DEC_TO_INT, "2.00"));
        assertEquals(new Values.Some(-120L), decR(Builtin.DEC_TO_INT, "-1.2E+2"));
        assertEquals(new Values.Some(Long.MIN_VALUE), decR(Builtin.DEC_TO_INT, "-9223372036854775808"));
        for (String none : new String[] {"2.5", "9223372036854775808", "1E+19", "1E-1000000000", "0.0000001"})
            assertSame(Values.None.NONE, decR(Builtin.DEC_TO_INT, none), none);
        assertEquals(new Values.Some(0L), decR(Builtin.DEC_TO_INT, "0E-1000000000"));
    }

    @Test
    void showQuotesStringsAtTheTopToo() {
        assertEquals("\"a\\\"b\"", str1(Builtin.VALUE_SHOW, "a\"b"));
        assertEquals("200", ref(asm, c -> call(c.op(SMALL_INT, 200).op(BOX_INT), Builtin.VALUE_SHOW)));
        int x = asm.str("x");
        assertEquals("some([\"x\", none])",
                ref(asm, c -> call(c.op(CONST, x).op(NONE).op(LIST_NEW, 2).op(SOME), Builtin.VALUE_SHOW)));
    }

    private String formatDec(String d, int scale, String sep) {
        int k = asm.dec(d), g = asm.str(sep);
        return (String) ref(asm, c -> call(c.op(CONST, k).op(SMALL_INT, scale).op(CONST, g), Builtin.DEC_FORMAT));
    }

    @Test
    void parsing() {
        assertEquals(new Values.Some(-42L), str1(Builtin.STR_TO_INT, "-42"));
        assertEquals(new Values.Some(7L), str1(Builtin.STR_TO_INT, "+7"));
        assertSame(Values.None.NONE, str1(Builtin.STR_TO_INT, "9223372036854775808"));
        assertSame(Values.None.NONE, str1(Builtin.STR_TO_INT, " 1"));
        assertSame(Values.None.NONE, str1(Builtin.STR_TO_INT, "\u0661"), "ASCII digits only");
        assertSame(Values.None.NONE, str1(Builtin.STR_TO_INT, "-"));
        assertEquals(new Values.Some(Long.MIN_VALUE), str1(Builtin.STR_TO_INT, "-9223372036854775808"));
        assertEquals(new Values.Some(1L), str1(Builtin.STR_TO_INT, "+" + "0".repeat(100) + "1"), "leading zeros");
        assertSame(Values.None.NONE, str1(Builtin.STR_TO_INT, "9".repeat(100_000)), "out of range, however long");
        assertSame(Values.None.NONE, str1(Builtin.STR_TO_INT, "1".repeat(30) + "x"));
        var d = (Values.Some) str1(Builtin.STR_TO_DECIMAL, "12.50");
        assertEquals("12.50", ((BigDecimal) d.value()).toPlainString());
        assertEquals(new Values.Some(new BigDecimal("-3")), str1(Builtin.STR_TO_DECIMAL, "-3"));
        for (String bad : new String[] {"", "1.", ".5", "1e5", "1.2.3", "abc", "+"})
            assertSame(Values.None.NONE, str1(Builtin.STR_TO_DECIMAL, bad), bad);
    }

    @Test
    void ints() {
        int min = asm.intConst(Long.MIN_VALUE);
        assertEquals(new BigDecimal("-5"), ref(asm, c -> call(c.op(SMALL_INT, -5), Builtin.INT_TO_DECIMAL)));
        assertEquals(-5.0, flt(asm, c -> call(c.op(SMALL_INT, -5), Builtin.INT_TO_FLOAT)));
        assertEquals(5, prim(asm, c -> call(c.op(SMALL_INT, -5), Builtin.INT_ABS)));
        assertEquals(VmError.Kind.OVERFLOW, error(asm, c -> call(c.op(CONST_INT, min), Builtin.INT_ABS).op(POP_P)).kind());
        assertEquals(-5, prim(asm, c -> call(c.op(SMALL_INT, -5).op(SMALL_INT, 3), Builtin.INT_MIN)));
        assertEquals(3, prim(asm, c -> call(c.op(SMALL_INT, -5).op(SMALL_INT, 3), Builtin.INT_MAX)));
    }

    @Test
    void decimals() {
        int k = asm.dec("-1.25");
        assertEquals(-1.25, flt(asm, c -> call(c.op(CONST, k), Builtin.DEC_TO_FLOAT)));
        assertEquals("1.25", ((BigDecimal) decR(Builtin.DEC_ABS, "-1.25")).toPlainString());
        assertEquals("2.0", ((BigDecimal) decR(Builtin.DEC_MIN, "2.0", "2.00")).toPlainString(), "equal: the first");
        assertEquals("1", ((BigDecimal) decR(Builtin.DEC_MIN, "2.0", "1")).toPlainString());
        assertEquals("2.0", ((BigDecimal) decR(Builtin.DEC_MAX, "2.0", "1")).toPlainString());
        assertEquals("2.2", round("2.25", 1));
        assertEquals("2.4", round("2.35", 1));
        assertEquals("2.50", round("2.5", 2));
        assertEquals("120", round("125", -1));
        // issue 12: 10^-1,000,000,000 costs 40 bytes; rounding it used to divide by 10^1,000,000,000
        assertEquals("0.00", round("-1E-1000000000", 2));
        assertEquals("0", round("4E-1", 0));
        assertEquals("1", round("5.1E-1", 0));
        int d = asm.dec("1");
        assertEquals(VmError.Kind.BAD_VALUE,
                error(asm, c -> call(c.op(CONST, d).op(SMALL_INT, 5000), Builtin.DEC_ROUND).op(POP_R)).kind());
    }

    private String round(String d, int scale) {
        int k = asm.dec(d);
        return ((BigDecimal) ref(asm, c -> call(c.op(CONST, k).op(SMALL_INT, scale), Builtin.DEC_ROUND))).toPlainString();
    }

    @Test
    void floats() {
        int tenth = asm.floatConst(0.1), nan = asm.floatConst(Double.NaN), inf = asm.floatConst(Double.POSITIVE_INFINITY);
        assertEquals(new BigDecimal("0.1"), ref(asm, c -> call(c.op(CONST_FLOAT, tenth), Builtin.FLT_TO_DECIMAL)));
        assertEquals(VmError.Kind.BAD_VALUE, error(asm, c -> call(c.op(CONST_FLOAT, nan), Builtin.FLT_TO_DECIMAL).op(POP_R)).kind());
        assertEquals(VmError.Kind.BAD_VALUE, error(asm, c -> call(c.op(CONST_FLOAT, inf), Builtin.FLT_TO_DECIMAL).op(POP_R)).kind());
        assertEquals(2.5, fltP(Builtin.FLT_ABS, -2.5));
        assertEquals(-1, fltP(Builtin.FLT_MIN, -1, 2));
        assertEquals(2, fltP(Builtin.FLT_MAX, -1, 2));
        int x = asm.floatConst(2.675), y = asm.floatConst(0.125);
        assertEquals(2.68, flt(asm, c -> call(c.op(CONST_FLOAT, x).op(SMALL_INT, 2), Builtin.FLT_ROUND)), "as the text reads");
        assertEquals(0.12, flt(asm, c -> call(c.op(CONST_FLOAT, y).op(SMALL_INT, 2), Builtin.FLT_ROUND)), "half-even");
        assertTrue(Double.isNaN(flt(asm, c -> call(c.op(CONST_FLOAT, nan).op(SMALL_INT, 2), Builtin.FLT_ROUND))));
    }

    @Test
    void lists() {
        assertEquals(new Values.Some("b"), ref(asm, c -> call(strings(c, "a", "b").op(SMALL_INT, 1), Builtin.LIST_GET)));
        assertSame(Values.None.NONE, ref(asm, c -> call(strings(c, "a", "b").op(SMALL_INT, 2), Builtin.LIST_GET)));
        assertSame(Values.None.NONE, ref(asm, c -> call(strings(c, "a").op(SMALL_INT, -1), Builtin.LIST_GET)));
        assertEquals(1, prim(asm, c -> call(strings(c), Builtin.LIST_IS_EMPTY)));
        assertEquals(0, prim(asm, c -> call(strings(c, "a"), Builtin.LIST_IS_EMPTY)));
        assertEquals(new Values.Some("a"), ref(asm, c -> call(strings(c, "a", "b"), Builtin.LIST_FIRST)));
        assertEquals(new Values.Some("b"), ref(asm, c -> call(strings(c, "a", "b"), Builtin.LIST_LAST)));
        assertSame(Values.None.NONE, ref(asm, c -> call(strings(c), Builtin.LIST_FIRST)));
        assertSame(Values.None.NONE, ref(asm, c -> call(strings(c), Builtin.LIST_LAST)));
        assertEquals(list("a", "b"), ref(asm, c -> call(strings(c, "a", "b", "c").op(SMALL_INT, 2), Builtin.LIST_TAKE)));
        assertEquals(list("a", "b", "c"), ref(asm, c -> call(strings(c, "a", "b", "c").op(SMALL_INT, 9), Builtin.LIST_TAKE)));
        assertEquals(list(), ref(asm, c -> call(strings(c, "a", "b", "c").op(SMALL_INT, -1), Builtin.LIST_TAKE)));
        assertEquals(list("c"), ref(asm, c -> call(strings(c, "a", "b", "c").op(SMALL_INT, 2), Builtin.LIST_DROP)));
        assertEquals(list(), ref(asm, c -> call(strings(c, "a", "b", "c").op(SMALL_INT, 5), Builtin.LIST_DROP)));
        assertEquals(list("a", "b", "c"), ref(asm, c -> call(strings(c, "a", "b", "c").op(SMALL_INT, -5), Builtin.LIST_DROP)));
        assertEquals(list("c", "b", "a"), ref(asm, c -> call(strings(c, "a", "b", "c"), Builtin.LIST_REVERSE)));
        assertEquals(1, prim(asm, c -> call(strings(c, "a", "b").op(CONST, asm.str("b")), Builtin.LIST_CONTAINS)));
        assertEquals(0, prim(asm, c -> call(strings(c, "a", "b").op(CONST, asm.str("z")), Builtin.LIST_CONTAINS)));
        assertEquals("a, b, c", ref(asm, c -> call(strings(c, "a", "b", "c").op(CONST, asm.str(", ")), Builtin.LIST_JOIN)));
        assertEquals("", ref(asm, c -> call(strings(c).op(CONST, asm.str(", ")), Builtin.LIST_JOIN)));
    }

    @Test
    void sortByKeysIsStableForEveryKeyKind() {
        // elements a..e, keys with ties: a stable sort keeps a before c and b before e
        assertEquals(list("d", "a", "c", "b", "e"), sortBy(c -> ints(c, 2, 3, 2, 1, 3)));
        assertEquals(list("d", "a", "c", "b", "e"), sortBy(c -> {
            for (String s : new String[] {"2.0", "3", "2.00", "1.5", "3.0"}) c.op(CONST, asm.dec(s));
            c.op(LIST_NEW, 5);
        }));
        assertEquals(list("d", "a", "c", "b", "e"), sortBy(c -> {
            for (double d : new double[] {2, 3, 2, -0.5, 3}) c.op(CONST_FLOAT, asm.floatConst(d)).op(BOX_FLT);
            c.op(LIST_NEW, 5);
        }));
        assertEquals(list("d", "a", "c", "b", "e"), sortBy(c -> strings(c, "b", "\uD83D\uDE00", "b", "a", "\uD83D\uDE00")));
        // by code point: U+FFFF sorts before U+1F600, though its UTF-16 unit is larger
        assertEquals(list("d", "b", "c", "a", "e"),
                sortBy(c -> strings(c, "\uD83D\uDE00", "\uFFFF", "\uFFFF\uFFFF", "", "\uD83D\uDE01")));
    }

    private Values.ListValue sortBy(java.util.function.Consumer<CodeBuilder> keys) {
        return (Values.ListValue) ref(asm, c -> {
            strings(c, "a", "b", "c", "d", "e");
            keys.accept(c);
            call(c, Builtin.LIST_SORT_BY_KEYS);
        });
    }

    private void ints(CodeBuilder c, int... values) {
        for (int v : values) c.op(SMALL_INT, v).op(BOX_INT);
        c.op(LIST_NEW, values.length);
    }

    @Test
    void options() {
        int a = asm.str("a"), z = asm.str("z");
        assertEquals("a", ref(asm, c -> call(c.op(CONST, a).op(SOME).op(CONST, z), Builtin.OPT_GET_OR)));
        assertEquals("z", ref(asm, c -> call(c.op(NONE).op(CONST, z), Builtin.OPT_GET_OR)));
        assertEquals(1, prim(asm, c -> call(c.op(CONST, a).op(SOME), Builtin.OPT_IS_SOME)));
        assertEquals(0, prim(asm, c -> call(c.op(NONE), Builtin.OPT_IS_SOME)));
        assertEquals(1, prim(asm, c -> call(c.op(NONE), Builtin.OPT_IS_NONE)));
        assertEquals(0, prim(asm, c -> call(c.op(CONST, a).op(SOME), Builtin.OPT_IS_NONE)));
    }

    /** {"a": 1, "b": 2} */
    private CodeBuilder map(CodeBuilder c) {
        return c.op(CONST, asm.str("a")).op(SMALL_INT, 1).op(BOX_INT).op(CONST, asm.str("b")).op(SMALL_INT, 2).op(BOX_INT).op(MAP_NEW, 2);
    }

    @Test
    void maps() {
        int a = asm.str("a"), b = asm.str("b"), z = asm.str("z");
        assertEquals(new Values.Some(2L), ref(asm, c -> call(map(c).op(CONST, b), Builtin.MAP_GET)));
        assertSame(Values.None.NONE, ref(asm, c -> call(map(c).op(CONST, z), Builtin.MAP_GET)));
        assertEquals(list("a", "b"), ref(asm, c -> call(map(c), Builtin.MAP_KEYS)));
        assertEquals(list(1L, 2L), ref(asm, c -> call(map(c), Builtin.MAP_VALUES)));
        assertEquals(1, prim(asm, c -> call(map(c).op(CONST, a), Builtin.MAP_HAS)));
        assertEquals(0, prim(asm, c -> call(map(c).op(CONST, z), Builtin.MAP_HAS)));
        assertEquals(2, prim(asm, c -> call(map(c), Builtin.MAP_LEN)));
        var replaced = (Values.MapValue) ref(asm, c -> call(map(c).op(CONST, a).op(SMALL_INT, 9).op(BOX_INT), Builtin.MAP_WITH));
        assertArrayEquals(new String[] {"a", "b"}, replaced.keys(), "an existing key keeps its place");
        assertArrayEquals(new Object[] {9L, 2L}, replaced.values());
        var added = (Values.MapValue) ref(asm, c -> call(map(c).op(CONST, z).op(SMALL_INT, 9).op(BOX_INT), Builtin.MAP_WITH));
        assertArrayEquals(new String[] {"a", "b", "z"}, added.keys());
        // the original map is untouched by with()
        int fn = asm.fn("orig").locals(1).code(c -> {
            map(c).op(STORE_R, 0);
            call(c.op(LOAD_R, 0).op(CONST, a).op(SMALL_INT, 9).op(BOX_INT), Builtin.MAP_WITH).op(POP_R);
            c.op(LOAD_R, 0).op(RET_R);
        });
        assertEquals(2, ((Values.MapValue) returned(run(asm, fn))).size());
        assertEquals(1L, ((Values.MapValue) returned(run(asm, fn))).values()[0]);
    }

    /** Issue 15: digests, HMAC, constant-time comparison and encodings of the UTF-8 bytes. */
    @Test
    void cryptoAndEncodings() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", str1(Builtin.STR_SHA256, "abc"));
        assertEquals(128, ((String) str1(Builtin.STR_SHA512, "abc")).length());
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                strR(Builtin.STR_HMAC_SHA256, "what do ya want for nothing?", "Jefe"));
        assertEquals(1, strP(Builtin.STR_EQUALS_CONSTANT_TIME, "sig", "sig"));
        assertEquals(0, strP(Builtin.STR_EQUALS_CONSTANT_TIME, "sig", "sih"));
        assertEquals(0, strP(Builtin.STR_EQUALS_CONSTANT_TIME, "sig", ""));
        assertEquals("w78=", str1(Builtin.STR_BASE64, "ÿ"));
        assertEquals("w78", str1(Builtin.STR_BASE64URL, "ÿ"));
        assertEquals("c3bf", str1(Builtin.STR_HEX, "ÿ"));
        assertEquals(new Values.Some("ÿ"), str1(Builtin.STR_FROM_BASE64, "w78="));
        assertEquals(new Values.Some("ÿ"), str1(Builtin.STR_FROM_BASE64URL, "w78"));
        assertEquals(new Values.Some("ÿ"), str1(Builtin.STR_FROM_HEX, "C3BF"));
        assertSame(Values.None.NONE, str1(Builtin.STR_FROM_HEX, "c3"), "not UTF-8");
        assertSame(Values.None.NONE, str1(Builtin.STR_FROM_BASE64, "w7-="), "not the standard alphabet");
    }

    /** Issue 15: the regex builtins; a pattern a forged module carries is checked at run time too. */
    @Test
    void regularExpressions() {
        assertEquals(1, strP(Builtin.RE_MATCHES, "EUR", "[A-Z]{3}"));
        assertEquals(0, strP(Builtin.RE_MATCHES, "EURO", "[A-Z]{3}"));
        assertEquals(new Values.Some("22"), strR(Builtin.RE_FIND, "a22b333", "\\d+"));
        assertEquals(list("22", "333"), strR(Builtin.RE_FIND_ALL, "a22b333", "\\d+"));
        assertEquals("a#b#", strR(Builtin.RE_REPLACE_ALL, "a22b333", "\\d+", "#"));
        assertEquals(new Values.Some(new Values.MapValue(new String[] {"0", "n", "1"}, new Object[] {"b22", "22", "22"})),
                strR(Builtin.RE_CAPTURES, "a22b22", "b(?<n>\\d+)(x)?"));
        assertSame(Values.None.NONE, strR(Builtin.RE_CAPTURES, "a22", "b(\\d)"));
        int dup = asm.str("(?<n>x)(?<n>y)");
        VmError twice = error(asm, c -> call(c.op(CONST, asm.str("xy")).op(CONST, dup), Builtin.RE_CAPTURES));
        assertEquals(VmError.Kind.BAD_VALUE, twice.kind());
        assertTrue(twice.message().contains("two groups are named `n`"), twice.message());
        int text = asm.str("x"), bad = asm.str("(x");
        VmError e = error(asm, c -> call(c.op(CONST, text).op(CONST, bad), Builtin.RE_MATCHES));
        assertEquals(VmError.Kind.BAD_VALUE, e.kind());
        assertTrue(e.message().contains("never closed"), e.message());
    }

    /** Issue 15: Instant and Duration arithmetic, comparison and parsing. */
    @Test
    void instantsAndDurations() {
        var t = java.time.Instant.parse("2026-01-02T03:04:05Z");
        assertEquals(new Values.Some(t), str1(Builtin.STR_TO_INSTANT, "2026-01-02T04:04:05+01:00"));
        assertSame(Values.None.NONE, str1(Builtin.STR_TO_INSTANT, "2026-01-02"));
        int at = asm.str("2026-01-02T03:04:05Z"), minutes = asm.intConst(90), unit = asm.intConst(60_000);
        java.util.function.Function<CodeBuilder, CodeBuilder> pushT = c -> {
            call(c.op(CONST, at), Builtin.STR_TO_INSTANT);
            return c.op(PAYLOAD, 1, 0); // the Some's value
        };
        java.util.function.Function<CodeBuilder, CodeBuilder> pushD =
                c -> call(c.op(CONST_INT, minutes).op(CONST_INT, unit), Builtin.DURATION_OF);
        assertEquals(java.time.Duration.ofMinutes(90), ref(asm, c -> pushD.apply(c)));
        assertEquals(t.plusSeconds(5400), ref(asm, c -> call(pushD.apply(pushT.apply(c)), Builtin.INSTANT_PLUS)));
        assertEquals(t.minusSeconds(5400), ref(asm, c -> call(pushD.apply(pushT.apply(c)), Builtin.INSTANT_MINUS)));
        assertEquals(java.time.Duration.ZERO, ref(asm, c -> call(pushT.apply(pushT.apply(c)), Builtin.INSTANT_SINCE)));
        assertEquals(0, prim(asm, c -> call(pushT.apply(pushT.apply(c)), Builtin.INSTANT_IS_BEFORE)));
        assertEquals(0, prim(asm, c -> call(pushT.apply(pushT.apply(c)), Builtin.INSTANT_IS_AFTER)));
        assertEquals(t.toEpochMilli(), prim(asm, c -> call(pushT.apply(c), Builtin.INSTANT_EPOCH_MILLIS)));
        assertEquals(java.time.Duration.ofMinutes(180), ref(asm, c -> call(pushD.apply(pushD.apply(c)), Builtin.DURATION_PLUS)));
        assertEquals(java.time.Duration.ZERO, ref(asm, c -> call(pushD.apply(pushD.apply(c)), Builtin.DURATION_MINUS)));
        assertEquals(5_400_000L, prim(asm, c -> call(pushD.apply(c), Builtin.DURATION_TO_MILLIS)));
    }

    /** Issue 15 item 2: a Secret compares in constant time and keys an HMAC, as the String builtins do. */
    @Test
    void secretsCompareAndSign() {
        int text = asm.str("sig"), message = asm.str("what do ya want for nothing?");
        int equals = asm.fn("eq").params("R").result(Kind.P).code(c -> call(c.op(LOAD_R, 0).op(CONST, text), Builtin.SECRET_EQUALS)
                .op(RET_P));
        int sign = asm.fn("sign").params("R").result(Kind.R).code(c -> call(c.op(LOAD_R, 0).op(CONST, message),
                Builtin.SECRET_HMAC_SHA256).op(RET_R));
        java.util.function.BiFunction<Integer, String, Object> run = (fn, secret) ->
                returned(new Vm(asm.program(), new FakeHost(), BuiltinBoundsTest.UNLIMITED, ALL).invoke(fn, Secret.of(secret)));
        assertEquals(1L, run.apply(equals, "sig"));
        assertEquals(0L, run.apply(equals, "sih"));
        assertEquals(0L, run.apply(equals, "si"));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", run.apply(sign, "Jefe"));
        assertEquals("Secret(…)", Secret.of("Jefe").toString());
    }

    /** Issue 15 item 6: the Json views, text and parse; a Json array and object made by TO_JSON. */
    @Test
    void jsonValues() {
        int listRef = asm.typeRef(dev.manaknight.lang.model.Type.listOf(dev.manaknight.lang.model.Type.STRING));
        int map = asm.typeRef(new dev.manaknight.lang.model.Type.MapOf(dev.manaknight.lang.model.Type.STRING));
        int unit = asm.typeRef(dev.manaknight.lang.model.Type.UNIT);
        int k = asm.str("k"), v = asm.str("v"), seven = asm.intConst(7), price = asm.dec("2.50");
        java.util.function.Function<CodeBuilder, CodeBuilder> array = c -> strings(c, "a", "b").op(TO_JSON, listRef);
        java.util.function.Function<CodeBuilder, CodeBuilder> object = c -> c.op(CONST, k).op(CONST, v).op(MAP_NEW, 1)
                .op(TO_JSON, map);
        assertEquals(new Values.Some("b"), ref(asm, c -> call(array.apply(c).op(SMALL_INT, 1), Builtin.JSON_AT)));
        assertSame(Values.None.NONE, ref(asm, c -> call(array.apply(c).op(SMALL_INT, 2), Builtin.JSON_AT)));
        assertEquals(new Values.Some("v"), ref(asm, c -> call(object.apply(c).op(CONST, k), Builtin.JSON_GET)));
        assertSame(Values.None.NONE, ref(asm, c -> call(array.apply(c).op(CONST, k), Builtin.JSON_GET)));
        assertEquals(new Values.Some("k"), str1(Builtin.JSON_AS_TEXT, "k"));
        assertEquals(new Values.Some(7L), ref(asm, c -> call(c.op(CONST_INT, seven).op(BOX_INT), Builtin.JSON_AS_INT)));
        assertSame(Values.None.NONE, ref(asm, c -> call(c.op(CONST, price), Builtin.JSON_AS_INT)));
        assertEquals(new Values.Some(new java.math.BigDecimal("2.50")), ref(asm, c -> call(c.op(CONST, price),
                Builtin.JSON_AS_DECIMAL)));
        assertEquals(new Values.Some(true), ref(asm, c -> call(c.op(TRUE).op(BOX_BOOL), Builtin.JSON_AS_BOOL)));
        assertEquals(new Values.Some(list("a", "b")), ref(asm, c -> call(array.apply(c), Builtin.JSON_AS_LIST)));
        assertSame(Values.None.NONE, ref(asm, c -> call(array.apply(c), Builtin.JSON_AS_MAP)));
        assertEquals(1, prim(asm, c -> call(c.op(UNIT).op(TO_JSON, unit), Builtin.JSON_IS_NULL)));
        assertEquals(0, prim(asm, c -> call(c.op(CONST, k), Builtin.JSON_IS_NULL)));
        assertEquals("{\"k\":\"v\"}", ref(asm, c -> call(object.apply(c), Builtin.JSON_TO_TEXT)));
        assertInstanceOf(Values.MapValue.class, ((Values.Some) ref(asm, c -> call(object.apply(c), Builtin.JSON_AS_MAP))).value());
        // the test host has no JSON reader: it says so, as the default host does
        assertEquals(new Values.Err("no JSON reader in this test"), str1(Builtin.JSON_PARSE, "{}"));
    }

    @AfterAll
    static void everyBuiltinIsCovered() {
        assertEquals(EnumSet.allOf(Builtin.class), TESTED);
    }

    @Test
    void unknownBuiltinIsAnInternalError() {
        assertEquals(VmError.Kind.INTERNAL, error(asm, c -> c.op(BUILTIN, 999)).kind());
    }
}

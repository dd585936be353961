package dev.manaknight.lang.vm;

import dev.manaknight.lang.bytecode.Builtin;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The pure built-in operations behind {@code BUILTIN id}: each pops and pushes what
 * {@link Builtin} says, on the same two-lane stack as the run loop, and charges fuel for the
 * elements or characters it walks and the meter for what it allocates.
 */
final class Builtins {
    private Builtins() {}

    /** Runs builtin `id` on the stack below `sp` and returns the new stack pointer. */
    static int run(int id, long[] p, Object[] r, int sp, Budget budget, MemoryMeter meter) {
        switch (Builtin.of(id)) {
            case null -> throw new Trap.Fault(VmError.Kind.INTERNAL, "unknown builtin " + id);

            case STR_LEN -> {
                p[sp - 1] = Text.length((String) r[sp - 1], budget);
                return sp;
            }
            case STR_UPPER -> {
                r[sp - 1] = Text.changeCase((String) r[sp - 1], true, budget, meter);
                return sp;
            }
            case STR_LOWER -> {
                r[sp - 1] = Text.changeCase((String) r[sp - 1], false, budget, meter);
                return sp;
            }
            case STR_TRIM -> {
                r[sp - 1] = Text.trim((String) r[sp - 1], budget, meter);
                return sp;
            }
            case STR_CONTAINS -> {
                p[sp - 2] = Text.contains((String) r[sp - 2], (String) r[sp - 1], budget) ? 1 : 0;
                return sp - 1;
            }
            case STR_STARTS_WITH -> {
                p[sp - 2] = Text.affix((String) r[sp - 2], (String) r[sp - 1], false, budget) ? 1 : 0;
                return sp - 1;
            }
            case STR_ENDS_WITH -> {
                p[sp - 2] = Text.affix((String) r[sp - 2], (String) r[sp - 1], true, budget) ? 1 : 0;
                return sp - 1;
            }
            case STR_SPLIT -> {
                r[sp - 2] = Text.split((String) r[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 1;
            }
            case STR_REPLACE -> {
                r[sp - 3] = Text.replace((String) r[sp - 3], (String) r[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 2;
            }
            case STR_TO_INT -> {
                r[sp - 1] = Text.toInt((String) r[sp - 1], budget, meter);
                return sp;
            }
            case STR_TO_DECIMAL -> {
                r[sp - 1] = Text.toDecimal((String) r[sp - 1], budget, meter);
                return sp;
            }

            case INT_TO_DECIMAL -> {
                BigDecimal d = BigDecimal.valueOf(p[sp - 1]);
                meter.charge(MemoryMeter.decimal(d));
                r[sp - 1] = d;
                return sp;
            }
            case INT_TO_FLOAT -> {
                p[sp - 1] = bits((double) p[sp - 1]);
                return sp;
            }
            case INT_ABS -> {
                p[sp - 1] = IntMath.abs(p[sp - 1]);
                return sp;
            }
            case INT_MIN -> {
                p[sp - 2] = Math.min(p[sp - 2], p[sp - 1]);
                return sp - 1;
            }
            case INT_MAX -> {
                p[sp - 2] = Math.max(p[sp - 2], p[sp - 1]);
                return sp - 1;
            }
            case DEC_TO_FLOAT -> {
                p[sp - 1] = bits(((BigDecimal) r[sp - 1]).doubleValue());
                return sp;
            }
            case DEC_ABS -> {
                BigDecimal d = (BigDecimal) r[sp - 1];
                if (d.signum() < 0) r[sp - 1] = Decimals.neg(d, budget, meter);
                return sp;
            }
            case DEC_MIN -> {
                r[sp - 2] = Decimals.compare(r[sp - 2], r[sp - 1], budget) <= 0 ? r[sp - 2] : r[sp - 1];
                return sp - 1;
            }
            case DEC_MAX -> {
                r[sp - 2] = Decimals.compare(r[sp - 2], r[sp - 1], budget) >= 0 ? r[sp - 2] : r[sp - 1];
                return sp - 1;
            }
            case DEC_ROUND -> {
                r[sp - 2] = Decimals.round((BigDecimal) r[sp - 2], p[sp - 1], budget, meter);
                return sp - 1;
            }
            case FLT_TO_DECIMAL -> {
                double d = f(p[sp - 1]);
                if (Double.isNaN(d) || Double.isInfinite(d))
                    throw new Trap.Fault(VmError.Kind.BAD_VALUE, Values.floatText(d) + " has no Decimal value");
                BigDecimal x = BigDecimal.valueOf(d);
                meter.charge(MemoryMeter.decimal(x));
                r[sp - 1] = x;
                return sp;
            }
            case FLT_ABS -> {
                p[sp - 1] = bits(Math.abs(f(p[sp - 1])));
                return sp;
            }
            case FLT_MIN -> {
                p[sp - 2] = bits(Math.min(f(p[sp - 2]), f(p[sp - 1])));
                return sp - 1;
            }
            case FLT_MAX -> {
                p[sp - 2] = bits(Math.max(f(p[sp - 2]), f(p[sp - 1])));
                return sp - 1;
            }
            case FLT_ROUND -> {
                p[sp - 2] = bits(roundFloat(f(p[sp - 2]), p[sp - 1]));
                return sp - 1;
            }

            case LIST_GET -> {
                var xs = (Values.ListValue) r[sp - 2];
                long i = p[sp - 1];
                r[sp - 2] = i >= 0 && i < xs.size() ? some(xs.get((int) i), meter) : Values.None.NONE;
                return sp - 1;
            }
            case LIST_IS_EMPTY -> {
                p[sp - 1] = ((Values.ListValue) r[sp - 1]).size() == 0 ? 1 : 0;
                return sp;
            }
            case LIST_FIRST -> {
                var xs = (Values.ListValue) r[sp - 1];
                r[sp - 1] = xs.size() == 0 ? Values.None.NONE : some(xs.get(0), meter);
                return sp;
            }
            case LIST_LAST -> {
                var xs = (Values.ListValue) r[sp - 1];
                r[sp - 1] = xs.size() == 0 ? Values.None.NONE : some(xs.get(xs.size() - 1), meter);
                return sp;
            }
            case LIST_TAKE -> {
                var xs = (Values.ListValue) r[sp - 2];
                int n = clamp(p[sp - 1], xs.size());
                r[sp - 2] = slice(xs, 0, n, budget, meter);
                return sp - 1;
            }
            case LIST_DROP -> {
                var xs = (Values.ListValue) r[sp - 2];
                int n = clamp(p[sp - 1], xs.size());
                r[sp - 2] = slice(xs, n, xs.size(), budget, meter);
                return sp - 1;
            }
            case LIST_REVERSE -> {
                var xs = (Values.ListValue) r[sp - 1];
                int n = xs.size();
                if (n > 1) {
                    budget.charge(n);
                    meter.charge(MemoryMeter.list(n));
                    Object[] items = new Object[n];
                    for (int i = 0; i < n; i++) items[i] = xs.get(n - 1 - i);
                    r[sp - 1] = new Values.ListValue(items);
                }
                return sp;
            }
            case LIST_CONTAINS -> {
                var xs = (Values.ListValue) r[sp - 2];
                Object v = r[sp - 1];
                int found = 0;
                for (int i = 0; i < xs.size() && found == 0; i++) {
                    budget.charge(1);
                    if (Walk.equal(v, xs.get(i), budget)) found = 1;
                }
                p[sp - 2] = found;
                return sp - 1;
            }
            case LIST_JOIN -> {
                r[sp - 2] = Text.join((Values.ListValue) r[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 1;
            }
            case LIST_SORT_BY_KEYS -> {
                r[sp - 2] = Sorting.byKeys((Values.ListValue) r[sp - 2], (Values.ListValue) r[sp - 1], budget, meter);
                return sp - 1;
            }

            case OPT_GET_OR -> {
                if (r[sp - 2] instanceof Values.Some s) r[sp - 2] = s.value();
                else r[sp - 2] = r[sp - 1];
                return sp - 1;
            }
            case OPT_IS_SOME -> {
                p[sp - 1] = r[sp - 1] instanceof Values.Some ? 1 : 0;
                return sp;
            }
            case OPT_IS_NONE -> {
                p[sp - 1] = r[sp - 1] == Values.None.NONE ? 1 : 0;
                return sp;
            }

            case MAP_GET -> {
                var m = (Values.MapValue) r[sp - 2];
                int i = Containers.find(m, (String) r[sp - 1], true, budget);
                r[sp - 2] = i >= 0 ? some(m.values()[i], meter) : Values.None.NONE;
                return sp - 1;
            }
            case MAP_KEYS -> {
                var m = (Values.MapValue) r[sp - 1];
                r[sp - 1] = listOf(m.keys(), budget, meter);
                return sp;
            }
            case MAP_VALUES -> {
                var m = (Values.MapValue) r[sp - 1];
                r[sp - 1] = listOf(m.values(), budget, meter);
                return sp;
            }
            case MAP_HAS -> {
                p[sp - 2] = Containers.find((Values.MapValue) r[sp - 2], (String) r[sp - 1], true, budget) >= 0 ? 1 : 0;
                return sp - 1;
            }
            case MAP_WITH -> {
                r[sp - 3] = Containers.with((Values.MapValue) r[sp - 3], (String) r[sp - 2], r[sp - 1], budget, meter);
                return sp - 2;
            }
            case MAP_LEN -> {
                p[sp - 1] = ((Values.MapValue) r[sp - 1]).size();
                return sp;
            }

            case STR_SLICE -> {
                r[sp - 3] = CodePoints.slice((String) r[sp - 3], p[sp - 2], p[sp - 1], budget, meter);
                return sp - 2;
            }
            case STR_INDEX_OF -> {
                r[sp - 2] = CodePoints.indexOf((String) r[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 1;
            }
            case STR_PAD_START, STR_PAD_END -> {
                boolean end = Builtin.of(id) == Builtin.STR_PAD_END;
                r[sp - 3] = CodePoints.pad((String) r[sp - 3], p[sp - 2], (String) r[sp - 1], end, budget, meter);
                return sp - 2;
            }
            case STR_REPEAT -> {
                r[sp - 2] = CodePoints.repeat((String) r[sp - 2], p[sp - 1], budget, meter);
                return sp - 1;
            }
            case INT_FORMAT -> {
                r[sp - 2] = NumberText.formatInt(p[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 1;
            }
            case DEC_FORMAT -> {
                r[sp - 3] = NumberText.formatDecimal((BigDecimal) r[sp - 3], p[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 2;
            }
            case VALUE_SHOW -> {
                r[sp - 1] = Walk.show(r[sp - 1], budget, meter);
                return sp;
            }
            case DEC_TO_INT -> {
                r[sp - 1] = Decimals.toInt((BigDecimal) r[sp - 1], budget, meter);
                return sp;
            }

            case STR_SHA256, STR_SHA512 -> {
                String algorithm = Builtin.of(id) == Builtin.STR_SHA256 ? "SHA-256" : "SHA-512";
                r[sp - 1] = Digests.sha((String) r[sp - 1], algorithm, budget, meter);
                return sp;
            }
            case STR_HMAC_SHA256 -> {
                r[sp - 2] = Digests.hmacSha256((String) r[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 1;
            }
            case SECRET_EQUALS -> {
                p[sp - 2] = Digests.constantTimeEquals(((Secret) r[sp - 2]).text(), (String) r[sp - 1], budget) ? 1 : 0;
                return sp - 1;
            }
            case SECRET_HMAC_SHA256 -> {
                r[sp - 2] = Digests.hmacSha256((String) r[sp - 1], ((Secret) r[sp - 2]).text(), budget, meter);
                return sp - 1;
            }
            case STR_EQUALS_CONSTANT_TIME -> {
                p[sp - 2] = Digests.constantTimeEquals((String) r[sp - 2], (String) r[sp - 1], budget) ? 1 : 0;
                return sp - 1;
            }
            case STR_BASE64, STR_BASE64URL, STR_HEX -> {
                r[sp - 1] = Encodings.encode((String) r[sp - 1], Encodings.kind(Builtin.of(id)), budget, meter);
                return sp;
            }
            case STR_FROM_BASE64, STR_FROM_BASE64URL, STR_FROM_HEX -> {
                r[sp - 1] = Encodings.decode((String) r[sp - 1], Encodings.kind(Builtin.of(id)), budget, meter);
                return sp;
            }
            case INSTANT_PLUS, INSTANT_MINUS -> {
                boolean add = Builtin.of(id) == Builtin.INSTANT_PLUS;
                r[sp - 2] = Times.plus((Instant) r[sp - 2], (Duration) r[sp - 1], add, meter);
                return sp - 1;
            }
            case INSTANT_SINCE -> {
                r[sp - 2] = Times.since((Instant) r[sp - 2], (Instant) r[sp - 1], meter);
                return sp - 1;
            }
            case INSTANT_IS_BEFORE -> {
                p[sp - 2] = ((Instant) r[sp - 2]).isBefore((Instant) r[sp - 1]) ? 1 : 0;
                return sp - 1;
            }
            case INSTANT_IS_AFTER -> {
                p[sp - 2] = ((Instant) r[sp - 2]).isAfter((Instant) r[sp - 1]) ? 1 : 0;
                return sp - 1;
            }
            case INSTANT_EPOCH_MILLIS -> {
                p[sp - 1] = ((Instant) r[sp - 1]).toEpochMilli();
                return sp;
            }
            case STR_TO_INSTANT -> {
                r[sp - 1] = Times.parse((String) r[sp - 1], budget, meter);
                return sp;
            }
            case DURATION_OF -> {
                r[sp - 2] = Times.of(p[sp - 2], p[sp - 1], meter);
                return sp - 1;
            }
            case DURATION_PLUS, DURATION_MINUS -> {
                boolean add = Builtin.of(id) == Builtin.DURATION_PLUS;
                r[sp - 2] = Times.add((Duration) r[sp - 2], (Duration) r[sp - 1], add, meter);
                return sp - 1;
            }
            case DURATION_TO_MILLIS -> {
                p[sp - 1] = ((Duration) r[sp - 1]).toMillis();
                return sp;
            }
            case RE_MATCHES -> {
                p[sp - 2] = Regexes.matches((String) r[sp - 2], (String) r[sp - 1], budget, meter) ? 1 : 0;
                return sp - 1;
            }
            case RE_FIND -> {
                r[sp - 2] = Regexes.find((String) r[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 1;
            }
            case RE_FIND_ALL -> {
                r[sp - 2] = Regexes.findAll((String) r[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 1;
            }
            case RE_CAPTURES -> {
                r[sp - 2] = Regexes.captures((String) r[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 1;
            }
            case RE_REPLACE_ALL -> {
                r[sp - 3] = Regexes.replaceAll((String) r[sp - 3], (String) r[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 2;
            }

            case JSON_GET -> {
                r[sp - 2] = JsonValues.get(r[sp - 2], (String) r[sp - 1], budget, meter);
                return sp - 1;
            }
            case JSON_AT -> {
                r[sp - 2] = JsonValues.at(r[sp - 2], p[sp - 1], meter);
                return sp - 1;
            }
            case JSON_AS_TEXT, JSON_AS_INT, JSON_AS_DECIMAL, JSON_AS_BOOL, JSON_AS_LIST, JSON_AS_MAP -> {
                r[sp - 1] = JsonValues.view(Builtin.of(id), r[sp - 1], budget, meter);
                return sp;
            }
            case JSON_IS_NULL -> {
                p[sp - 1] = r[sp - 1] == Values.JsonNull.NULL ? 1 : 0;
                return sp;
            }
            case JSON_TO_TEXT -> {
                r[sp - 1] = JsonPrinter.print(r[sp - 1], budget, meter);
                return sp;
            }
            // Reading text needs the host's JSON reader: the run loop calls it (Vm.parseJson), never this table.
            case JSON_PARSE -> throw new Trap.Fault(VmError.Kind.INTERNAL, "json_parse is run by the VM, not the builtin table");
        }
    }

    private static Values.Some some(Object v, MemoryMeter meter) {
        meter.charge(MemoryMeter.BOX);
        return new Values.Some(v);
    }

    private static int clamp(long n, int size) {
        return (int) Math.max(0, Math.min(n, size));
    }

    private static Values.ListValue slice(Values.ListValue xs, int from, int to, Budget budget, MemoryMeter meter) {
        if (from == 0 && to == xs.size()) return xs;
        if (from >= to) return Values.ListValue.EMPTY;
        budget.charge(to - from);
        meter.charge(MemoryMeter.list(to - from));
        return new Values.ListValue(Arrays.copyOfRange(xs.items(), from, to));
    }

    private static Values.ListValue listOf(Object[] items, Budget budget, MemoryMeter meter) {
        if (items.length == 0) return Values.ListValue.EMPTY;
        budget.charge(items.length);
        meter.charge(MemoryMeter.list(items.length));
        return new Values.ListValue(Arrays.copyOf(items, items.length, Object[].class));
    }

    /** Half-even at `scale` decimals of the value as it prints (so `2.675` rounds like the text says). */
    private static double roundFloat(double d, long scale) {
        Decimals.checkScale(scale);
        if (Double.isNaN(d) || Double.isInfinite(d)) return d;
        double rounded = BigDecimal.valueOf(d).setScale((int) scale, RoundingMode.HALF_EVEN).doubleValue();
        return rounded == 0 ? Math.copySign(0.0, d) : rounded;
    }

    private static double f(long bits) { return Double.longBitsToDouble(bits); }

    private static long bits(double d) { return Double.doubleToRawLongBits(d); }
}

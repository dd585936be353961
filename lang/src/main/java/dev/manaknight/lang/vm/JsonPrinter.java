package dev.manaknight.lang.vm;

import java.math.BigDecimal;

/**
 * `j.toString()`: a `Json` value as compact JSON text, byte for byte what the runtime's encoder
 * writes for the same value in a response (members in their order, no spaces, Decimals plain,
 * a quote, a backslash and control characters escaped as Jackson does: backslash n, t, r, b, f,
 * else backslash u and four upper-case hex digits, as are both halves of a character past U+FFFF
 * (an emoji is two escapes: Jackson's UTF-8 writer does not combine them); everything else, é
 * included, as it is). The text is measured first (one unit of fuel per element, its strings'
 * chars walked; exact but for numbers, counted as 32) and charged to the meter before it is
 * built; the chars are paid again as they are written.
 */
final class JsonPrinter {
    private JsonPrinter() {}

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static String print(Object j, Budget budget, MemoryMeter meter) {
        long bound = measure(j, budget, 0);
        Text.tooLong(bound);
        meter.charge(MemoryMeter.string(bound));
        var out = new StringBuilder();
        long paid = write(out, j, budget, 0);
        Text.pay(paid, out.length(), budget);
        return out.toString();
    }

    /** An upper bound of the text's length; one unit per element. */
    private static long measure(Object j, Budget budget, int depth) {
        if (depth > Walk.MAX_NESTING)
            throw new Trap.Fault(VmError.Kind.STACK_OVERFLOW, "a Json value nested deeper than " + Walk.MAX_NESTING
                    + " levels cannot be written");
        return switch (j) {
            case Values.MapValue m -> {
                long n = 2 + 2L * m.size();
                for (int i = 0; i < m.size(); i++) {
                    budget.charge(1);
                    n += quoted(m.keys()[i], budget) + measure(m.values()[i], budget, depth + 1);
                }
                yield n;
            }
            case Values.ListValue l -> {
                long n = 2 + l.size();
                for (Object x : l.items()) {
                    budget.charge(1);
                    n += measure(x, budget, depth + 1);
                }
                yield n;
            }
            case String s -> quoted(s, budget);
            case BigDecimal d -> {
                budget.charge(Decimals.textCost(d.precision()));
                yield d.precision() + Math.abs((long) d.scale()) + 2;
            }
            default -> 32; // Long, Double, Boolean, null
        };
    }

    /** The exact length of `s` quoted and escaped; its chars paid for as a walk. */
    private static long quoted(String s, Budget budget) {
        long n = 2 + s.length(), paid = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f') n += 1;
            else if (c < 0x20 || Character.isSurrogate(c)) n += 5;
            if (i - paid >= Text.CHUNK) paid = Text.pay(paid, i, budget);
        }
        Text.pay(paid, s.length(), budget);
        return n;
    }

    /** Writes `j`, paying for chars past `paid`; returns the chars paid for. */
    private static long write(StringBuilder out, Object j, Budget budget, long paid) {
        switch (j) {
            case Values.MapValue m -> {
                out.append('{');
                for (int i = 0; i < m.size(); i++) {
                    if (i > 0) out.append(',');
                    paid = string(out, m.keys()[i], budget, paid);
                    out.append(':');
                    paid = write(out, m.values()[i], budget, paid);
                }
                out.append('}');
            }
            case Values.ListValue l -> {
                out.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) out.append(',');
                    paid = write(out, l.get(i), budget, paid);
                }
                out.append(']');
            }
            case String s -> paid = string(out, s, budget, paid);
            case BigDecimal d -> out.append(d.toPlainString());
            case Double d -> out.append(Double.isFinite(d) ? Double.toString(d) : "null");
            case Long l -> out.append(l.longValue());
            case Boolean b -> out.append(b.booleanValue());
            case Values.JsonNull n -> out.append("null");
            default -> throw new Trap.Fault(VmError.Kind.INTERNAL, "not a Json value: " + j.getClass().getSimpleName());
        }
        return out.length() - paid >= Text.CHUNK ? Text.pay(paid, out.length(), budget) : paid;
    }

    private static long string(StringBuilder out, String s, Budget budget, long paid) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c))
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                                .append(HEX[c & 0xF]);
                    else out.append(c);
                }
            }
            if (out.length() - paid >= Text.CHUNK) paid = Text.pay(paid, out.length(), budget);
        }
        out.append('"');
        return paid;
    }
}

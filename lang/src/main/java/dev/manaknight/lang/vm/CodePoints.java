package dev.manaknight.lang.vm;

/**
 * The string operations that count in code points, as `len()` does: `slice`, `indexOf`,
 * `padStart`/`padEnd` and `repeat`. Each is linear in the text it walks and makes, pays fuel for
 * both as {@link Text} does (one unit per {@link Text#CHARS_PER_FUEL} chars, at least every
 * {@link Text#CHUNK} chars of a long walk), and charges the meter for what it makes before it
 * makes it, so a `repeat` or a padding to a huge width fails on the meter, not on the JVM heap.
 */
final class CodePoints {
    private CodePoints() {}

    /**
     * Walks a string forward by code points from a UTF-16 index, paying for the chars it passes:
     * one walker per builtin call, so the whole walk is paid once, however it is split up.
     */
    private static final class Walker {
        private final String s;
        private final Budget budget;
        private int at;
        private long paid;

        Walker(String s, Budget budget) {
            this.s = s;
            this.budget = budget;
        }

        /** Moves `n` code points on (fewer at the end of the string); returns the UTF-16 index reached. */
        int advance(long n) {
            int length = s.length();
            while (n > 0 && at < length) {
                int to = Text.chunkEnd(s, at, length);
                int count = s.codePointCount(at, to);
                if (count <= n) {
                    n -= count;
                    at = to;
                } else {
                    at = s.offsetByCodePoints(at, (int) n);
                    n = 0;
                }
                paid = Text.pay(paid, at, budget);
            }
            return at;
        }
    }

    /** `s.slice(from, to)`: code points from..to-1, both clamped to 0..len(); empty when from >= to. */
    static String slice(String s, long from, long to, Budget budget, MemoryMeter meter) {
        long start = Math.max(0, from), end = Math.max(0, to);
        if (start >= end || s.isEmpty()) return "";
        var walker = new Walker(s, budget);
        int a = walker.advance(start);
        int b = walker.advance(end - start);
        if (a == 0 && b == s.length()) return s;
        meter.charge(MemoryMeter.string(b - a));
        Text.walk(b - a, budget); // the copy
        return s.substring(a, b);
    }

    /** `s.indexOf(t)`: the code-point index of the first `t`, or none; `""` is found at 0. */
    static Object indexOf(String s, String t, Budget budget, MemoryMeter meter) {
        int at = Text.find(s, t, budget);
        if (at < 0) return Values.None.NONE;
        long index = at;
        if (at > 0) {
            // count the code points before the match (a well-formed t never starts inside a pair)
            index = 0;
            long paid = 0;
            for (int from = 0, to; from < at; from = to) {
                to = Text.chunkEnd(s, from, at);
                paid = Text.pay(paid, to, budget);
                index += s.codePointCount(from, to);
            }
        }
        meter.charge(2 * MemoryMeter.BOX);
        return new Values.Some(index);
    }

    /**
     * `s.padStart(width, fill)` (`end` false) or `s.padEnd(width, fill)`: `fill` repeated, its last
     * copy cut to fit, until the text is `width` code points; unchanged when it is already as
     * long, or `fill` is empty.
     */
    static String pad(String s, long width, String fill, boolean end, Budget budget, MemoryMeter meter) {
        if (fill.isEmpty() || width <= 0) return s;
        long have = Text.length(s, budget);
        if (have >= width) return s;
        long missing = width - have;
        long fillPoints = Text.length(fill, budget);
        long copies = missing / fillPoints;
        int rest = (int) (missing % fillPoints); // code points of the cut copy, < fillPoints
        int restChars = fill.offsetByCodePoints(0, rest);
        long chars = saturating(copies, fill.length(), s.length() + (long) restChars);
        meter.charge(MemoryMeter.string(chars));
        Text.tooLong(chars);
        var sb = new StringBuilder((int) chars);
        long paid = 0;
        if (end) paid = append(sb, s, paid, budget);
        for (long i = 0; i < copies; i++) paid = append(sb, fill, paid, budget);
        paid = append(sb, fill.substring(0, restChars), paid, budget);
        if (!end) paid = append(sb, s, paid, budget);
        Text.pay(paid, sb.length(), budget);
        return sb.toString();
    }

    /** `s.repeat(n)`: n copies of s; a negative n is a BAD_VALUE fault. */
    static String repeat(String s, long n, Budget budget, MemoryMeter meter) {
        if (n < 0) throw new Trap.Fault(VmError.Kind.BAD_VALUE, "repeat count " + n + " is negative");
        if (n == 1) return s;
        if (n == 0 || s.isEmpty()) return "";
        long chars = saturating(n, s.length(), 0);
        meter.charge(MemoryMeter.string(chars));
        Text.tooLong(chars);
        var sb = new StringBuilder((int) chars);
        long paid = 0;
        for (long i = 0; i < n; i++) paid = append(sb, s, paid, budget);
        Text.pay(paid, sb.length(), budget);
        return sb.toString();
    }

    /** Appends `part`, paying for the text made so far once a chunk's worth is unpaid; returns the new paid count. */
    private static long append(StringBuilder sb, String part, long paid, Budget budget) {
        sb.append(part);
        return sb.length() - paid >= Text.CHUNK ? Text.pay(paid, sb.length(), budget) : paid;
    }

    /** `count * size + extra`, or Long.MAX_VALUE / 4 when that would overflow (the meter refuses it either way). */
    private static long saturating(long count, long size, long extra) {
        long cap = Long.MAX_VALUE / 4;
        if (size != 0 && count > (cap - extra) / size) return cap;
        return count * size + extra;
    }
}

package dev.manaknight.lang.vm;

/**
 * String operations, code-point aware, each charging fuel for the text it walks (one unit per
 * {@link #CHARS_PER_FUEL} chars, rounded down over the whole walk, so short strings are free) and
 * the meter for the text it makes, before it makes it. A walk longer than {@link #CHUNK} chars
 * pays as it goes, so it reaches a budget tick (the cancel flag, the CPU clock) every
 * {@link Budget#TICK} units; a search is linear in the text ({@link Search}), and so is every
 * other walk here.
 */
final class Text {
    private Text() {}

    /** Characters walked per unit of fuel. */
    static final int CHARS_PER_FUEL = 16;
    /** Characters a walk covers between two payments: one tick's worth of fuel. */
    static final int CHUNK = CHARS_PER_FUEL * Budget.TICK;

    /** Fuel for walking `chars` characters, paid at once: for walks of bounded work between ticks. */
    static void walk(long chars, Budget budget) {
        long units = chars / CHARS_PER_FUEL;
        if (units > 0) budget.charge(units);
    }

    /**
     * Pays for a walk that has reached `reached` chars, of which `paid` are paid for already, and
     * returns the new paid count: the units of a whole walk sum to its length / 16, rounded down,
     * however it is split up.
     */
    static long pay(long paid, long reached, Budget budget) {
        long units = reached / CHARS_PER_FUEL - paid / CHARS_PER_FUEL;
        if (units > 0) budget.charge(units);
        return Math.max(paid, reached);
    }

    /** The end of a chunk from `from`: CHUNK chars on, at most `n`, and never between the two halves of a surrogate pair. */
    static int chunkEnd(String s, int from, int n) {
        int to = (int) Math.min(n, (long) from + CHUNK);
        return to < n && Character.isHighSurrogate(s.charAt(to - 1)) && Character.isLowSurrogate(s.charAt(to)) ? to + 1 : to;
    }

    /** Charges for a small string the VM has just made (a number's text) and returns it. */
    static String charged(String s, Budget budget, MemoryMeter meter) {
        walk(s.length(), budget);
        meter.charge(MemoryMeter.string(s.length()));
        return s;
    }

    /** `len()`: code points. */
    static long length(String s, Budget budget) {
        int n = s.length();
        long count = 0, paid = 0;
        for (int from = 0, to; from < n; from = to) {
            to = chunkEnd(s, from, n);
            paid = pay(paid, to, budget);
            count += s.codePointCount(from, to);
        }
        return count;
    }

    /** `upper()` / `lower()`: Unicode, locale-independent, in linear time ({@link CaseMap}). */
    static String changeCase(String s, boolean upper, Budget budget, MemoryMeter meter) {
        meter.charge(MemoryMeter.string(s.length()));
        tooLong(s.length());
        return CaseMap.map(s, upper, budget, meter);
    }

    /** Joins r[from..from+n) (Strings), charging before it builds. */
    static String concat(Object[] r, int from, int n, Budget budget, MemoryMeter meter) {
        if (n == 1) return (String) r[from]; // `"${s}"` of a String makes nothing new
        long length = 0;
        for (int i = from; i < from + n; i++) length += ((String) r[i]).length();
        meter.charge(MemoryMeter.string(length));
        tooLong(length);
        var sb = new StringBuilder((int) length);
        long paid = 0;
        for (int i = from; i < from + n; i++) {
            String part = (String) r[i];
            paid = pay(paid, sb.length() + (long) part.length(), budget);
            sb.append(part);
        }
        return sb.toString();
    }

    /** `xs.join(sep)`: one unit per element, then the text, charged before it is built. */
    static String join(Values.ListValue xs, String sep, Budget budget, MemoryMeter meter) {
        int n = xs.size();
        if (n == 0) return "";
        long length = (long) (n - 1) * sep.length();
        for (int i = 0; i < n; i++) {
            budget.charge(1);
            length += ((String) xs.get(i)).length();
        }
        meter.charge(MemoryMeter.string(length));
        tooLong(length);
        var sb = new StringBuilder((int) length);
        long paid = 0;
        for (int i = 0; i < n; i++) {
            String part = (String) xs.get(i);
            paid = pay(paid, sb.length() + (long) part.length() + (i > 0 ? sep.length() : 0), budget);
            if (i > 0) sb.append(sep);
            sb.append(part);
        }
        return sb.toString();
    }

    /**
     * The first index below `n` where a and b differ, or `n`; pays for the chars compared (up to
     * and including the first difference).
     */
    static int mismatch(String a, String b, int n, Budget budget) {
        for (int from = 0, to; from < n; from = to) {
            to = (int) Math.min(n, (long) from + CHUNK);
            if (to - from < 64 || !a.regionMatches(from, b, from, to - from)) {
                for (int i = from; i < to; i++) {
                    if (a.charAt(i) != b.charAt(i)) {
                        pay(from, i + 1, budget);
                        return i;
                    }
                }
            }
            pay(from, to, budget);
        }
        return n;
    }

    /** Whether two Strings are equal, paying for the chars compared (nothing when their lengths differ). */
    static boolean equal(String a, String b, Budget budget) {
        if (a.length() != b.length()) return false;
        if (a.length() < CHARS_PER_FUEL) return a.equals(b); // free either way
        return mismatch(a, b, a.length(), budget) == a.length();
    }

    /** -1, 0 or 1 by code point (UTF-16 order differs above U+FFFF), paying for the chars compared. */
    static int compare(String a, String b, Budget budget) {
        int n = Math.min(a.length(), b.length());
        int i = mismatch(a, b, n, budget);
        if (i == n) return Integer.signum(Integer.compare(a.length(), b.length()));
        char x = a.charAt(i), y = b.charAt(i);
        if (Character.isSurrogate(x) || Character.isSurrogate(y))
            return Integer.signum(Integer.compare(a.codePointAt(i), b.codePointAt(i)));
        return x < y ? -1 : 1;
    }

    /** Unicode white space: Java's white space plus the no-break spaces. */
    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    /** `trim()`: pays for the white space it walks over at both ends as it goes, then for the rest. */
    static String trim(String s, Budget budget, MemoryMeter meter) {
        int n = s.length(), start = 0, end = n;
        long paid = 0, walked = 0;
        for (int cp; start < end && isSpace(cp = s.codePointAt(start)); ) {
            start += Character.charCount(cp);
            walked += Character.charCount(cp);
            if (walked - paid >= CHUNK) paid = pay(paid, walked, budget);
        }
        for (int cp; end > start && isSpace(cp = s.codePointBefore(end)); ) {
            end -= Character.charCount(cp);
            walked += Character.charCount(cp);
            if (walked - paid >= CHUNK) paid = pay(paid, walked, budget);
        }
        if (start > 0 || end < n) meter.charge(MemoryMeter.string(end - start));
        pay(paid, n, budget);
        return start == 0 && end == n ? s : s.substring(start, end);
    }

    /** `s.contains(t)`: pays for the text searched, up to the end of the first match. */
    static boolean contains(String s, String t, Budget budget) {
        return find(s, t, budget) >= 0;
    }

    /** The UTF-16 index of the first `t` in `s` (0 for an empty `t`), or -1; pays as {@link #contains} does. */
    static int find(String s, String t, Budget budget) {
        if (t.isEmpty()) return 0;
        if (Search.plain(s.length(), t.length())) {
            int at = s.indexOf(t);
            walk(at < 0 ? s.length() : at + t.length(), budget);
            return at;
        }
        return new Search(s, t, budget).next(0);
    }

    /** `s.startsWith(t)` (`end` false) or `s.endsWith(t)`: pays for the chars of t compared. */
    static boolean affix(String s, String t, boolean end, Budget budget) {
        int m = t.length();
        if (m > s.length()) return false;
        int offset = end ? s.length() - m : 0;
        long paid = 0;
        for (int from = 0, to; from < m; from = to) {
            to = (int) Math.min(m, (long) from + CHUNK);
            paid = pay(paid, to, budget);
            if (!s.regionMatches(offset + from, t, from, to - from)) return false;
        }
        return true;
    }

    /** Splits at every literal `sep`; an empty separator splits into code points. Charges before it builds. */
    static Values.ListValue split(String s, String sep, Budget budget, MemoryMeter meter) {
        if (sep.isEmpty()) {
            int count = (int) length(s, budget);
            meter.charge(MemoryMeter.list(count) + (long) count * MemoryMeter.STRING + 2L * s.length());
            Object[] parts = new Object[count];
            for (int i = 0, k = 0; i < s.length(); k++) {
                budget.charge(1);
                int n = Character.charCount(s.codePointAt(i));
                parts[k] = s.substring(i, i + n);
                i += n;
            }
            return new Values.ListValue(parts);
        }
        Search.Matches at = Search.all(s, sep, budget, meter);
        int count = at.count() + 1;
        long chars = s.length() - (long) at.count() * sep.length();
        meter.charge(MemoryMeter.list(count) + (long) count * MemoryMeter.STRING + 2 * chars);
        Object[] parts = new Object[count];
        int from = 0;
        for (int k = 0; k < at.count(); k++) {
            budget.charge(1);
            parts[k] = s.substring(from, at.get(k));
            from = at.get(k) + sep.length();
        }
        budget.charge(1);
        parts[count - 1] = s.substring(from);
        return new Values.ListValue(parts);
    }

    /** Replaces every literal occurrence of `from`; an empty `from` goes between code points and at both ends. */
    static String replace(String s, String from, String to, Budget budget, MemoryMeter meter) {
        if (from.isEmpty()) {
            long count = length(s, budget) + 1;
            long length = s.length() + count * to.length();
            meter.charge(MemoryMeter.string(length));
            tooLong(length);
            var sb = new StringBuilder((int) length);
            long paid = pay(0, to.length(), budget);
            sb.append(to);
            for (int i = 0; i < s.length(); ) {
                int n = Character.charCount(s.codePointAt(i));
                paid = pay(paid, sb.length() + n + (long) to.length(), budget);
                sb.append(s, i, i + n).append(to);
                i += n;
            }
            return sb.toString();
        }
        Search.Matches at = Search.all(s, from, budget, meter);
        long length = s.length() + (long) at.count() * (to.length() - from.length());
        meter.charge(MemoryMeter.string(length));
        tooLong(length);
        if (at.count() == 0) {
            walk(length, budget);
            return s;
        }
        var sb = new StringBuilder((int) length);
        long paid = 0;
        int last = 0;
        for (int k = 0; k < at.count(); k++) {
            int a = at.get(k);
            paid = pay(paid, sb.length() + (long) (a - last) + to.length(), budget);
            sb.append(s, last, a).append(to);
            last = a + from.length();
        }
        pay(paid, length, budget);
        sb.append(s, last, s.length());
        return sb.toString();
    }

    /** `toInt()`: an optional sign and ASCII digits, nothing else; out of range is none. Pays for the chars it reads. */
    static Object toInt(String s, Budget budget, MemoryMeter meter) {
        int n = s.length();
        int start = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (start == n) return Values.None.NONE;
        long v = 0; // accumulated negative: Long.MIN_VALUE has no positive twin
        boolean inRange = true;
        long paid = 0;
        for (int i = start; i < n; i++) {
            if (i - paid >= CHUNK) paid = pay(paid, i, budget);
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                pay(paid, i + 1, budget);
                return Values.None.NONE;
            }
            if (v < (Long.MIN_VALUE + d) / 10) inRange = false;
            else v = v * 10 - d;
        }
        pay(paid, n, budget);
        boolean negative = s.charAt(0) == '-';
        if (!inRange || !negative && v == Long.MIN_VALUE) return Values.None.NONE;
        meter.charge(2 * MemoryMeter.BOX);
        return new Values.Some(negative ? v : -v);
    }

    /** `toDecimal()`: an optional sign, ASCII digits, optionally `.` and more digits; the scale is kept. */
    static Object toDecimal(String s, Budget budget, MemoryMeter meter) {
        int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        int dot = s.indexOf('.', i);
        boolean ok = dot < 0 ? i < s.length() && asciiDigits(s, i, s.length(), budget)
                : dot > i && dot + 1 < s.length() && asciiDigits(s, i, dot, budget)
                        && asciiDigits(s, dot + 1, s.length(), budget);
        if (!ok) return Values.None.NONE;
        budget.charge(Decimals.parseCost(s.length()));
        meter.charge(MemoryMeter.BOX + MemoryMeter.decimalDigits(s.length()));
        return new Values.Some(new java.math.BigDecimal(s));
    }

    /** Whether s[from, to) is all ASCII digits; pays for the chars it looks at. */
    private static boolean asciiDigits(String s, int from, int to, Budget budget) {
        long paid = from;
        for (int i = from; i < to; i++) {
            if (i - paid >= CHUNK) paid = pay(paid, i, budget);
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                pay(paid, i + 1, budget);
                return false;
            }
        }
        pay(paid, to, budget);
        return true;
    }

    /** Java strings stop at 2^31 chars; only a meter with a huge limit lets a request get there. */
    static void tooLong(long length) {
        if (length > Integer.MAX_VALUE - 16)
            throw new Trap.Fault(VmError.Kind.MEMORY_EXHAUSTED, "string of " + length + " chars is too long");
    }
}

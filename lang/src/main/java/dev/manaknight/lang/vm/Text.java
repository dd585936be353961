package dev.manaknight.lang.vm;

/**
 * String operations, code-point aware, each charging fuel for the text it walks (one unit per
 * {@link #CHARS_PER_FUEL} chars, rounded down, so short strings are free) and the meter for the
 * text it makes.
 */
final class Text {
    private Text() {}

    /** Characters walked per unit of fuel. */
    static final int CHARS_PER_FUEL = 16;

    /** Fuel for walking `chars` characters. */
    static void walk(long chars, Budget budget) {
        long units = chars / CHARS_PER_FUEL;
        if (units > 0) budget.charge(units);
    }

    /** Charges for a string the VM has just made and returns it. */
    static String charged(String s, Budget budget, MemoryMeter meter) {
        walk(s.length(), budget);
        meter.charge(MemoryMeter.string(s.length()));
        return s;
    }

    /** Joins r[from..from+n) (Strings), charging before it builds. */
    static String concat(Object[] r, int from, int n, Budget budget, MemoryMeter meter) {
        if (n == 1) return (String) r[from]; // `"${s}"` of a String makes nothing new
        long length = 0;
        for (int i = from; i < from + n; i++) length += ((String) r[i]).length();
        walk(length, budget);
        meter.charge(MemoryMeter.string(length));
        tooLong(length);
        var sb = new StringBuilder((int) length);
        for (int i = from; i < from + n; i++) sb.append((String) r[i]);
        return sb.toString();
    }

    /** -1, 0 or 1 by code point (UTF-16 order differs above U+FFFF). */
    static int compare(String a, String b, Budget budget) {
        walk(Math.min(a.length(), b.length()), budget);
        return order(a, b);
    }

    /** Code-point order without charging: for keys already paid for. */
    static int order(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i), y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y))
                    return Integer.signum(Integer.compare(a.codePointAt(i), b.codePointAt(i)));
                return x < y ? -1 : 1;
            }
        }
        return Integer.signum(Integer.compare(a.length(), b.length()));
    }

    /** Unicode white space: Java's white space plus the no-break spaces. */
    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    static String trim(String s, Budget budget, MemoryMeter meter) {
        walk(s.length(), budget);
        int start = 0, end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) start += Character.charCount(s.codePointAt(start));
        while (end > start && isSpace(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
        if (start == 0 && end == s.length()) return s;
        meter.charge(MemoryMeter.string(end - start));
        return s.substring(start, end);
    }

    /** Splits at every literal `sep`; an empty separator splits into code points. Charges before it builds. */
    static Values.ListValue split(String s, String sep, Budget budget, MemoryMeter meter) {
        walk(s.length(), budget);
        int count;
        if (sep.isEmpty()) {
            count = s.codePointCount(0, s.length());
        } else {
            count = 1;
            for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, at + sep.length())) count++;
        }
        long chars = sep.isEmpty() ? s.length() : s.length() - (long) (count - 1) * sep.length();
        budget.charge(count);
        meter.charge(MemoryMeter.list(count) + (long) count * MemoryMeter.STRING + 2 * chars);
        Object[] parts = new Object[count];
        if (sep.isEmpty()) {
            for (int i = 0, k = 0; i < s.length(); k++) {
                int n = Character.charCount(s.codePointAt(i));
                parts[k] = s.substring(i, i + n);
                i += n;
            }
        } else {
            int from = 0, k = 0;
            for (int at; (at = s.indexOf(sep, from)) >= 0; from = at + sep.length()) parts[k++] = s.substring(from, at);
            parts[k] = s.substring(from);
        }
        return new Values.ListValue(parts);
    }

    /** Replaces every literal occurrence of `from`; an empty `from` goes between code points and at both ends. */
    static String replace(String s, String from, String to, Budget budget, MemoryMeter meter) {
        walk(s.length(), budget);
        long count;
        if (from.isEmpty()) {
            count = s.codePointCount(0, s.length()) + 1L;
        } else {
            count = 0;
            for (int at = s.indexOf(from); at >= 0; at = s.indexOf(from, at + from.length())) count++;
        }
        long length = s.length() + count * (to.length() - from.length());
        walk(length, budget);
        meter.charge(MemoryMeter.string(length));
        tooLong(length);
        if (count == 0) return s;
        var sb = new StringBuilder((int) length);
        if (from.isEmpty()) {
            sb.append(to);
            for (int i = 0; i < s.length(); ) {
                int n = Character.charCount(s.codePointAt(i));
                sb.append(s, i, i + n).append(to);
                i += n;
            }
        } else {
            int last = 0;
            for (int at = s.indexOf(from); at >= 0; at = s.indexOf(from, last)) {
                sb.append(s, last, at).append(to);
                last = at + from.length();
            }
            sb.append(s, last, s.length());
        }
        return sb.toString();
    }

    /** `toInt()`: an optional sign and ASCII digits, nothing else; out of range is none. */
    static Object toInt(String s, Budget budget, MemoryMeter meter) {
        walk(s.length(), budget);
        int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (i == s.length() || !asciiDigits(s, i, s.length())) return Values.None.NONE;
        try {
            long v = Long.parseLong(s);
            meter.charge(2 * MemoryMeter.BOX);
            return new Values.Some(v);
        } catch (NumberFormatException e) {
            return Values.None.NONE;
        }
    }

    /** `toDecimal()`: an optional sign, ASCII digits, optionally `.` and more digits; the scale is kept. */
    static Object toDecimal(String s, Budget budget, MemoryMeter meter) {
        walk(s.length(), budget);
        int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        int dot = s.indexOf('.', i);
        boolean ok = dot < 0 ? i < s.length() && asciiDigits(s, i, s.length())
                : dot > i && dot + 1 < s.length() && asciiDigits(s, i, dot) && asciiDigits(s, dot + 1, s.length());
        if (!ok) return Values.None.NONE;
        meter.charge(MemoryMeter.BOX + MemoryMeter.decimalDigits(s.length()));
        return new Values.Some(new java.math.BigDecimal(s));
    }

    private static boolean asciiDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** Java strings stop at 2^31 chars; only a meter with a huge limit lets a request get there. */
    private static void tooLong(long length) {
        if (length > Integer.MAX_VALUE - 16) throw new Trap.Fault(VmError.Kind.MEMORY_EXHAUSTED, "string of " + length + " chars is too long");
    }
}

package dev.manaknight.lang.vm;

import java.util.Locale;

/**
 * `upper()` and `lower()` in time linear in the text. Java's own {@code toUpperCase} regrows
 * its result array at every char that expands (`ß` to `SS`: 64,000 of them take 2.6 s) and its
 * {@code toLowerCase} runs a word break iterator over the whole text for every `Σ` (64,000 take
 * over a minute). Text without such chars still goes to Java, chunk by chunk; in a chunk with
 * them each code point maps on its own: through {@link Character}'s simple mapping, or, for
 * the few that expand, through Java's mapping of that one char. `Σ` becomes final `ς` by Unicode's Final_Sigma rule (preceded by a cased
 * letter and then only case-ignorable chars, and not followed by case-ignorable chars and then
 * a cased letter; Java's word-based rule differs in rare cases such as `Α1Σ`).
 *
 * <p>The text is paid for as it is walked ({@link Text#pay}, every {@link Text#CHUNK} chars),
 * and each expansion is charged to the meter before it is appended: the caller has charged the
 * input's length.
 */
final class CaseMap {
    private CaseMap() {}

    private static final char SIGMA = '\u03A3';
    /** The chars whose uppercase is not Character's simple mapping (ß → SS, ﬃ → FFI, …), sorted, and that uppercase. */
    private static final char[] SPECIAL;
    private static final String[] SPECIAL_UPPER;
    /** İ: the one char whose lowercase is longer (i and a combining dot). */
    private static final String DOTTED_I_LOWER = "\u0130".toLowerCase(Locale.ROOT);

    static {
        var keys = new StringBuilder();
        var values = new java.util.ArrayList<String>();
        for (char c = 0; c < 0xFFFF; c++) {
            if (!mayExpandUpper(c)) continue;
            String upper = String.valueOf(c).toUpperCase(Locale.ROOT);
            if (!upper.equals(Character.toString(Character.toUpperCase((int) c)))) {
                keys.append(c);
                values.add(upper);
            }
        }
        SPECIAL = keys.toString().toCharArray();
        SPECIAL_UPPER = values.toArray(String[]::new);
    }

    /**
     * Maps `s`; the meter has been charged for a String of s.length() chars, and is charged here
     * for whatever the result adds to that. A stretch without a char that expands (or, for
     * `lower`, a `Σ`) goes to Java's own mapping, which is linear then and fast: most text.
     */
    static String map(String s, boolean upper, Budget budget, MemoryMeter meter) {
        int n = s.length();
        if (n <= Text.CHUNK && plain(s, 0, n, upper)) {
            Text.walk(n, budget);
            return upper ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT);
        }
        var out = new StringBuilder(n);
        long paid = 0, grown = 0;
        for (int from = 0, to; from < n; from = to) {
            to = Text.chunkEnd(s, from, n);
            paid = Text.pay(paid, to + grown, budget);
            if (plain(s, from, to, upper)) {
                String chunk = s.substring(from, to);
                out.append(upper ? chunk.toUpperCase(Locale.ROOT) : chunk.toLowerCase(Locale.ROOT));
            } else {
                grown += mapChars(s, from, to, upper, out, meter);
            }
        }
        Text.pay(paid, n + grown, budget);
        return out.toString();
    }

    /** Whether s[from, to) has no char Java maps in more than linear time: one that expands, or `Σ` (lower). */
    private static boolean plain(String s, int from, int to, boolean upper) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '\u00DF' && (upper ? mayExpandUpper(c) : c == SIGMA || c == '\u0130')) return false;
        }
        return true;
    }

    /** Maps s[from, to) char by char onto `out`, charging each expansion first; returns how many chars it added. */
    private static long mapChars(String s, int from, int to, boolean upper, StringBuilder out, MemoryMeter meter) {
        long grown = 0;
        for (int i = from; i < to; ) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.append(upper ? (c >= 'a' && c <= 'z' ? (char) (c - 32) : c) : (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c));
                i++;
                continue;
            }
            int cp = s.codePointAt(i);
            String special = upper ? special(c) : c == '\u0130' ? DOTTED_I_LOWER : null;
            if (special != null) {
                if (special.length() > 1) {
                    grown += special.length() - 1;
                    meter.charge(2L * (special.length() - 1));
                }
                out.append(special);
            } else if (upper) {
                out.appendCodePoint(Character.toUpperCase(cp));
            } else {
                out.appendCodePoint(c == SIGMA ? (finalSigma(s, i) ? '\u03C2' : '\u03C3') : Character.toLowerCase(cp));
            }
            i += Character.charCount(cp);
        }
        return grown;
    }

    /** c's uppercase when it is not Character's simple mapping, else null. */
    private static String special(char c) {
        if (!mayExpandUpper(c)) return null;
        int at = java.util.Arrays.binarySearch(SPECIAL, c);
        return at >= 0 ? SPECIAL_UPPER[at] : null;
    }

    /**
     * The ranges holding every char whose uppercase is longer than one char (SpecialCasing.txt):
     * ß, ŉ, ǰ, ΐ, ΰ, և, ẖ–ẚ, Greek extended, ligatures. CaseMapTest checks every char against Java.
     */
    static boolean mayExpandUpper(char c) {
        return c == '\u00DF' || c == '\u0149' || c == '\u01F0' || c == '\u0390' || c == '\u03B0' || c == '\u0587'
                || c >= '\u1E96' && c <= '\u1E9A' || c >= '\u1F50' && c <= '\u1FFC' || c >= '\uFB00' && c <= '\uFB17';
    }

    /**
     * Final_Sigma for the `Σ` at `at`: a cased letter before it and none after it, with only
     * case-ignorable chars between (a char that is both counts as cased). The looks skip only
     * chars that are not cased, and `Σ` is cased, so each char is skipped by at most one look
     * each way: the whole text stays linear.
     */
    private static boolean finalSigma(String s, int at) {
        int i = at;
        boolean before = false;
        while (i > 0) {
            int cp = s.codePointBefore(i);
            if (cased(cp)) {
                before = true;
                break;
            }
            if (!ignorable(cp)) break;
            i -= Character.charCount(cp);
        }
        if (!before) return false;
        for (i = at + 1; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cased(cp)) return false;
            if (!ignorable(cp)) return true;
            i += Character.charCount(cp);
        }
        return true;
    }

    /** Unicode's Cased: lowercase, uppercase (with their Other_ properties) or titlecase. */
    static boolean cased(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER -> true;
            default -> Character.isLowerCase(cp) || Character.isUpperCase(cp);
        };
    }

    /** Unicode's Case_Ignorable: marks, format chars, modifiers, and the apostrophes and points inside words. */
    static boolean ignorable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT, Character.MODIFIER_LETTER,
                 Character.MODIFIER_SYMBOL -> true;
            default -> switch (cp) {
                case '\'', '.', ':', '\u00B7', '\u0387', '\u055F', '\u05F4', '\u2018', '\u2019', '\u2024', '\u2027',
                     '\uFE13', '\uFE52', '\uFE55', '\uFF07', '\uFF0E', '\uFF1A' -> true;
                default -> false;
            };
        };
    }
}

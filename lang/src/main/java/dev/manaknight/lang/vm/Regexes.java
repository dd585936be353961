package dev.manaknight.lang.vm;

import dev.manaknight.lang.regex.PatternError;
import dev.manaknight.lang.regex.Pike;
import dev.manaknight.lang.regex.Regex;

/**
 * The regular-expression builtins: `matches`, `find`, `findAll`, `replaceAll`, `captures`. The pattern is
 * compiled at every call (the compiler has checked it; a forged module's bad pattern is a
 * `bad-value` trap), paying fuel for the pattern and the meter for the program and the matcher.
 * Matching pays one unit of fuel per {@link #STEPS_PER_FUEL} steps of the matcher as it goes
 * ({@link Pike}: at most the program's size per code point, so linear in the text), reaching a
 * budget tick at least every {@link Budget#TICK} units.
 */
final class Regexes {
    private Regexes() {}

    /** Matcher steps (one thread moved or added) per unit of fuel. */
    static final int STEPS_PER_FUEL = 8;
    /** What compiling costs the meter per char of pattern, beside the program: the parse tree's nodes. */
    static final int PARSE_BYTES_PER_CHAR = 64;
    /** What the compiled program costs the meter per instruction (counted repetitions are written out). */
    static final int PROGRAM_BYTES_PER_INSTRUCTION = 64;

    /** A matcher over `s` whose steps are paid to `budget`. */
    private static Pike matcher(String s, String pattern, Budget budget, MemoryMeter meter) {
        return matcher(s, pattern, false, budget, meter);
    }

    private static Pike matcher(String s, String pattern, boolean capturing, Budget budget, MemoryMeter meter) {
        Text.walk(pattern.length(), budget);
        meter.charge((long) PARSE_BYTES_PER_CHAR * pattern.length());
        Regex re;
        try {
            re = Regex.compile(pattern, capturing);
        } catch (PatternError e) {
            throw new Trap.Fault(VmError.Kind.BAD_VALUE, "bad pattern: " + e.getMessage());
        }
        Text.walk(re.size(), budget);
        meter.charge((long) PROGRAM_BYTES_PER_INSTRUCTION * re.size() + Pike.bytes(re));
        long[] paid = {0};
        return new Pike(re, s, total -> {
            long units = total / STEPS_PER_FUEL - paid[0] / STEPS_PER_FUEL;
            if (units > 0) budget.charge(units);
            paid[0] = total;
        });
    }

    /** `s.matches(re)`: does the whole text match. */
    static boolean matches(String s, String pattern, Budget budget, MemoryMeter meter) {
        return matcher(s, pattern, budget, meter).search(0, true) >= 0;
    }

    /** `s.find(re)`: the first (leftmost) match's text. */
    static Object find(String s, String pattern, Budget budget, MemoryMeter meter) {
        long m = matcher(s, pattern, budget, meter).search(0, false);
        if (m < 0) return Values.None.NONE;
        meter.charge(MemoryMeter.BOX);
        return new Values.Some(part(s, (int) (m >>> 32), (int) m, budget, meter));
    }

    /**
     * `s.findAll(re)`: every match, left to right, not overlapping; after an empty match the next
     * search starts a code point on.
     */
    static Values.ListValue findAll(String s, String pattern, Budget budget, MemoryMeter meter) {
        Pike pike = matcher(s, pattern, budget, meter);
        var found = new ListBuilder();
        meter.charge(ListBuilder.initialCost());
        int from = 0;
        while (from <= s.length()) {
            long m = pike.search(from, false);
            if (m < 0) break;
            int start = (int) (m >>> 32), end = (int) m;
            found.add(part(s, start, end, budget, meter), meter);
            from = end > start ? end : end < s.length() ? end + Character.charCount(s.codePointAt(end)) : end + 1;
        }
        return found.toList(meter);
    }

    /** `s.replaceAll(re, with)`: every match (as `findAll` finds them) replaced by the literal text `with`. */
    static String replaceAll(String s, String pattern, String with, Budget budget, MemoryMeter meter) {
        Pike pike = matcher(s, pattern, budget, meter);
        int[] bounds = new int[16];
        meter.charge(MemoryMeter.HEADER + 4L * bounds.length);
        int count = 0, from = 0;
        while (from <= s.length()) {
            long m = pike.search(from, false);
            if (m < 0) break;
            int start = (int) (m >>> 32), end = (int) m;
            if (2 * count + 2 > bounds.length) {
                meter.charge(MemoryMeter.HEADER + 8L * bounds.length);
                bounds = java.util.Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[2 * count] = start;
            bounds[2 * count + 1] = end;
            count++;
            from = end > start ? end : end < s.length() ? end + Character.charCount(s.codePointAt(end)) : end + 1;
        }
        if (count == 0) return s;
        long length = s.length();
        for (int i = 0; i < count; i++) length += with.length() - (bounds[2 * i + 1] - bounds[2 * i]);
        meter.charge(MemoryMeter.string(length));
        Text.tooLong(length);
        var sb = new StringBuilder((int) length);
        int last = 0;
        long paid = 0;
        for (int i = 0; i < count; i++) {
            sb.append(s, last, bounds[2 * i]).append(with);
            last = bounds[2 * i + 1];
            paid = Text.pay(paid, sb.length(), budget);
        }
        sb.append(s, last, s.length());
        Text.pay(paid, sb.length(), budget);
        return sb.toString();
    }

    /**
     * `s.captures(re)`: the first (leftmost) match's groups as a map, PHP's `preg_match` `$m`:
     * "0" the whole match, "1".. each group by its `(`, a named group under its name too (before
     * its number, as PHP orders them); a group that took no part in the match is absent.
     */
    static Object captures(String s, String pattern, Budget budget, MemoryMeter meter) {
        Pike pike = matcher(s, pattern, true, budget, meter);
        long m = pike.search(0, false);
        if (m < 0) return Values.None.NONE;
        Regex re = pike.regex();
        var keys = new java.util.ArrayList<String>();
        var values = new java.util.ArrayList<Object>();
        keys.add("0");
        values.add(part(s, (int) (m >>> 32), (int) m, budget, meter));
        for (int i = 1; i <= re.groups(); i++) {
            long g = pike.group(i);
            if (g < 0) continue;
            String text = part(s, (int) (g >>> 32), (int) g, budget, meter);
            if (re.name(i) != null) {
                keys.add(re.name(i));
                values.add(text);
            }
            String number = Integer.toString(i);
            meter.charge(MemoryMeter.string(number.length()));
            keys.add(number);
            values.add(text);
        }
        meter.charge(MemoryMeter.map(keys.size()) + MemoryMeter.BOX);
        return new Values.Some(new Values.MapValue(keys.toArray(String[]::new), values.toArray()));
    }

    private static String part(String s, int start, int end, Budget budget, MemoryMeter meter) {
        if (start == 0 && end == s.length()) return s;
        meter.charge(MemoryMeter.string(end - start));
        Text.walk(end - start, budget);
        return s.substring(start, end);
    }
}

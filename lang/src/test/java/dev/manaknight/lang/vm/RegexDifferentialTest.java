package dev.manaknight.lang.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: the linear-time matcher gives the answers of a well-known engine. Random patterns of
 * the syntax both share (literals, `.`, classes, `^`, `$`, `\b`, groups, alternation, greedy and
 * lazy `*`, `+`, `?`, `{n,m}`) run against random texts, and `matches`, `findAll`,
 * `replaceAll` and `captures` (every group of the first match) must agree with java.util.regex on
 * every one. Repeated parts never match the empty
 * text: there the two engines' rules for an empty iteration differ, by design (RE2's).
 */
class RegexDifferentialTest {
    private final Random random = new Random(15);

    private String atom(int depth) {
        int k = random.nextInt(depth > 0 ? 9 : 6);
        return switch (k) {
            case 0, 1, 2 -> random.nextBoolean() ? "a" : "b";
            case 3 -> ".";
            case 4 -> random.nextBoolean() ? "[ab]" : "[^a]";
            case 5 -> random.nextBoolean() ? "\\w" : "\\s";
            default -> "(" + (random.nextBoolean() ? "?:" : "") + alternation(depth - 1) + ")";
        };
    }

    /** An atom, maybe repeated; never one that matches the empty text, so it may be repeated. */
    private String piece(int depth) {
        String a = atom(depth);
        String lazy = random.nextInt(3) == 0 ? "?" : "";
        return switch (random.nextInt(8)) {
            case 0 -> a + "*" + lazy;
            case 1 -> a + "+" + lazy;
            case 2 -> a + "?" + lazy;
            case 3 -> {
                int lo = random.nextInt(3), hi = lo + random.nextInt(3);
                yield a + "{" + lo + (random.nextBoolean() ? "," + hi : "") + "}" + lazy;
            }
            default -> a;
        };
    }

    /** One or more pieces, at least one of which cannot match empty text. */
    private String concatenation(int depth) {
        var sb = new StringBuilder(atom(depth));
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) sb.append(piece(depth));
        if (random.nextInt(6) == 0) sb.insert(0, "^");
        if (random.nextInt(6) == 0) sb.append("$");
        if (random.nextInt(8) == 0) sb.insert(0, "\\b");
        return sb.toString();
    }

    private String alternation(int depth) {
        var sb = new StringBuilder(concatenation(depth));
        while (random.nextInt(3) == 0) sb.append('|').append(concatenation(depth));
        return sb.toString();
    }

    private String text() {
        var sb = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) sb.append("aab ".charAt(random.nextInt(4)));
        return sb.toString();
    }

    private static List<String> javaFindAll(Pattern p, String s) {
        var out = new ArrayList<String>();
        Matcher m = p.matcher(s);
        while (m.find()) out.add(m.group());
        return out;
    }

    /** The first match's groups as `captures` gives them: "0", "1".. for each group that took part. */
    private static Object javaCaptures(Pattern p, String s) {
        Matcher m = p.matcher(s);
        if (!m.find()) return Values.None.NONE;
        var keys = new ArrayList<String>();
        var values = new ArrayList<Object>();
        for (int i = 0; i <= m.groupCount(); i++) {
            if (m.group(i) == null) continue;
            keys.add(Integer.toString(i));
            values.add(m.group(i));
        }
        return new Values.Some(new Values.MapValue(keys.toArray(String[]::new), values.toArray()));
    }

    @Test
    void agreesWithJavaOnRandomPatternsAndTexts() {
        int compared = 0;
        for (int i = 0; i < 3000; i++) {
            String pattern = alternation(2);
            Pattern java = Pattern.compile(pattern);
            for (int j = 0; j < 8; j++) {
                String s = text();
                var budget = new Budget(Long.MAX_VALUE, 0);
                var meter = new MemoryMeter(Long.MAX_VALUE);
                String where = "pattern /" + pattern + "/ on \"" + s + "\"";
                assertEquals(java.matcher(s).matches(), Regexes.matches(s, pattern, budget, meter), where + ": matches");
                assertEquals(javaFindAll(java, s), List.of(Regexes.findAll(s, pattern, budget, meter).items()),
                        where + ": findAll");
                assertEquals(java.matcher(s).replaceAll("#"), Regexes.replaceAll(s, pattern, "#", budget, meter),
                        where + ": replaceAll");
                assertEquals(javaCaptures(java, s), Regexes.captures(s, pattern, budget, meter), where + ": captures");
                compared++;
            }
        }
        assertEquals(24_000, compared);
    }
}

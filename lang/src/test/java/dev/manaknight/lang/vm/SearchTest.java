package dev.manaknight.lang.vm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The linear substring search against {@code String.indexOf}, and what it pays (issue 12). */
class SearchTest {
    private static Budget unlimited() { return new Budget(Long.MAX_VALUE, 0); }

    private static String random(Random rnd, String alphabet, int length) {
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        return sb.toString();
    }

    /** Every non-overlapping match, left to right, as split and replace find them, by indexOf. */
    private static List<Integer> expected(String text, String pattern) {
        var at = new ArrayList<Integer>();
        for (int i = text.indexOf(pattern); i >= 0; i = text.indexOf(pattern, i + pattern.length())) at.add(i);
        return at;
    }

    /** The same by Knuth, Morris and Pratt: an oracle that stays fast on the inputs that make indexOf slow. */
    private static List<Integer> kmp(String text, String pattern) {
        int m = pattern.length();
        int[] fail = new int[m + 1];
        fail[0] = -1;
        for (int i = 1, k = -1; i <= m; i++) {
            while (k >= 0 && pattern.charAt(k) != pattern.charAt(i - 1)) k = fail[k];
            fail[i] = ++k;
        }
        var at = new ArrayList<Integer>();
        for (int i = 0, k = 0; i < text.length(); i++) {
            while (k >= 0 && pattern.charAt(k) != text.charAt(i)) k = fail[k];
            if (++k == m) {
                at.add(i - m + 1);
                k = 0; // not overlapping
            }
        }
        return at;
    }

    private static List<Integer> found(String text, String pattern) {
        var search = new Search(text, pattern, unlimited());
        var at = new ArrayList<Integer>();
        for (int i = search.next(0); i >= 0; i = search.next(i + pattern.length())) at.add(i);
        return at;
    }

    @Test
    void findsWhatIndexOfFindsOnRandomTextsOverSmallAlphabets() {
        var rnd = new Random(12);
        for (String alphabet : new String[] {"ab", "abc", "aab", "a\uD83D\uDE00"}) {
            for (int round = 0; round < 500; round++) {
                String pattern = random(rnd, alphabet, 5 + rnd.nextInt(12));
                // texts long enough for the two-way search: the naive work would exceed NAIVE_WORK
                String text = random(rnd, alphabet, Search.NAIVE_WORK / pattern.length() + rnd.nextInt(300));
                if (rnd.nextBoolean()) { // plant a few copies, some overlapping
                    var sb = new StringBuilder(text);
                    for (int k = 0; k < 3; k++) sb.insert(rnd.nextInt(sb.length()), pattern);
                    text = sb.toString();
                }
                List<Integer> expected = expected(text, pattern);
                assertEquals(expected, kmp(text, pattern), "the oracle");
                assertEquals(expected, found(text, pattern), () -> alphabet + " pattern " + pattern);
            }
        }
    }

    @Test
    void periodicAndAdversarialPatterns() {
        String[] patterns = {"aaaaab", "abababab", "aabaabaab", "baaaaa", "abcabcabd", "a".repeat(5000) + "b",
                "b" + "a".repeat(5000), "ab".repeat(3000), "aaaaaaaaaa"};
        String[] texts = {"a".repeat(100_000), "ab".repeat(50_000), "a".repeat(50_000) + "b" + "a".repeat(50_000),
                "aab".repeat(40_000), ("a".repeat(4999) + "b").repeat(20)};
        for (String p : patterns) for (String t : texts) assertEquals(kmp(t, p), found(t, p), () -> p.length() + " chars");
    }

    @Test
    void paysForTheTextUpToTheMatchEndOrTheTextEnd() {
        String text = "a".repeat(100_000) + "b" + "a".repeat(99_999);
        String pattern = "a".repeat(20) + "b";
        var budget = unlimited();
        var search = new Search(text, pattern, budget);
        long factorisation = budget.used();
        assertEquals(2 * 21 / Text.CHARS_PER_FUEL, factorisation, "the pattern is read twice");
        assertEquals(100_000 - 20, search.next(0));
        assertEquals(factorisation + 100_001 / Text.CHARS_PER_FUEL, budget.used(), "up to the match's end");
        assertEquals(-1, search.next(100_001));
        assertEquals(factorisation + 200_000 / Text.CHARS_PER_FUEL, budget.used(), "then to the end, rounded down once");
    }

    @Test
    void aShortPatternInALongTextPaysTheSame() {
        // indexOf over windows: the fuel depends on where the match ends, not on the windows
        var budget = unlimited();
        var search = new Search("xyz" + "a".repeat(100_000) + "xyz", "xyz", budget);
        assertEquals(0, search.next(0));
        assertEquals(0, budget.used(), "3 chars");
        assertEquals(100_003, search.next(3));
        assertEquals(100_006 / Text.CHARS_PER_FUEL, budget.used());
        assertEquals(-1, search.next(100_006));
        assertEquals(100_006 / Text.CHARS_PER_FUEL, budget.used());
    }

    @Test
    void theWorstCaseForIndexOfTakesLinearTime() {
        // issue 12: 500,000 chars searched naively for 5,000 would be 2.5e9 comparisons (seconds);
        // the two-way search makes at most 2n. Against a generous budget it finishes, and pays n / 16.
        String text = "a".repeat(500_000);
        String pattern = "a".repeat(5_000) + "b";
        var budget = unlimited();
        long start = System.nanoTime();
        assertEquals(-1, new Search(text, pattern, budget).next(0));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 1000, "took " + millis + " ms");
        assertEquals(2 * 5_001 / 16 + 500_000 / 16, budget.used());
    }
}

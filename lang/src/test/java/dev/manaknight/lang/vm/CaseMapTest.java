package dev.manaknight.lang.vm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** upper() and lower() in one linear pass, agreeing with Java's own mappings (issue 12). */
class CaseMapTest {
    private static String map(String s, boolean upper) {
        var meter = new MemoryMeter(Long.MAX_VALUE);
        return CaseMap.map(s, upper, new Budget(Long.MAX_VALUE, 0), meter);
    }

    @Test
    void everyCharMapsAsJavaMapsIt() {
        // alone (Java's own mapping, when it is linear), and after a char that makes the VM map
        // char by char: this also proves that mayExpandUpper covers every char that expands
        for (int cp = 0; cp <= 0x10FFFF; cp += cp < 0x10000 ? 1 : 7) {
            if (cp >= 0xD800 && cp <= 0xDFFF) continue;
            String s = Character.toString(cp), name = String.format("U+%04X", cp);
            assertEquals(s.toUpperCase(Locale.ROOT), map(s, true), name);
            assertEquals(s.toLowerCase(Locale.ROOT), map(s, false), name);
            assertEquals(("ß" + s).toUpperCase(Locale.ROOT), map("ß" + s, true), name);
            assertEquals(("\u0130" + s).toLowerCase(Locale.ROOT), map("\u0130" + s, false), name);
        }
    }

    @Test
    void randomTextsMapAsJavaMapsThem() {
        String alphabet = "aZß\u0149\u1F80\uFB03İi\u0130\u00E9\u0301 '.1\uD83D\uDE00\uD801\uDC00\uD800x\u01C5";
        var rnd = new Random(12);
        for (int round = 0; round < 5000; round++) {
            var sb = new StringBuilder();
            for (int i = rnd.nextInt(30); i > 0; i--) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            String s = sb.toString();
            assertEquals(s.toUpperCase(Locale.ROOT), map(s, true), s);
            assertEquals(s.toLowerCase(Locale.ROOT), map(s, false), s);
        }
    }

    @Test
    void finalSigmaFollowsUnicode() {
        assertEquals("\u03BF\u03B4\u03BF\u03C2", map("ΟΔΟΣ", false), "final: ς");
        assertEquals("\u03C3\u03B1", map("ΣΑ", false), "not final: σ");
        assertEquals("σ", map("Σ", false), "nothing cased before: not final");
        assertEquals("ας β", map("ΑΣ Β", false));
        assertEquals("ασβ", map("ΑΣΒ", false));
        assertEquals("ας'", map("ΑΣ'", false), "case-ignorable after: still final");
        assertEquals("ασ'β", map("ΑΣ'Β", false), "a cased letter after the ignorable: not final");
        assertEquals("α'ς", map("Α'Σ", false), "case-ignorable between the cased letter and Σ");
        assertEquals("α1σ", map("Α1Σ", false), "a digit is neither: not preceded by a cased letter");
        assertEquals("σσς", map("ΣΣΣ", false));
    }

    @Test
    void expansionsAreChargedAsTheyAreMade() {
        var meter = new MemoryMeter(Long.MAX_VALUE);
        assertEquals("SSSSX", CaseMap.map("ßßx", true, new Budget(Long.MAX_VALUE, 0), meter));
        assertEquals(2 * 2, meter.used(), "two chars more than the input, which the caller charged");
    }

    @Test
    void textsThatJavaMapsInQuadraticTimeMapInLinearTime() {
        // issue 12: Java's toUpperCase regrows its array at every expanding char, its toLowerCase
        // runs a word break iterator for every Σ: 64,000 of them took 2.6 s and 75 s
        for (String unit : new String[] {"ß", "\uFB03", "Σ", "aΣ"}) {
            String s = unit.repeat(200_000 / unit.length());
            long start = System.nanoTime();
            map(s, true);
            map(s, false);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1000, unit + ": " + millis + " ms");
        }
    }
}

package dev.manaknight.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The writer's kept texts say exactly what they stand for: `time` as `Instant.toString`, digests as written. */
class RecordTextsTest {
    private static String time(RecordTexts texts, Instant t) {
        int n = texts.time(t);
        return n < 0 ? null : new String(texts.timeBuffer(), 0, n, StandardCharsets.US_ASCII);
    }

    @Test void timeIsWhatInstantToStringSays() {
        var texts = new RecordTexts();
        var random = new SplittableRandom(18);
        long second = Instant.parse("2026-12-04T01:26:32Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            // runs of records in the same second, as the writer sees them, and jumps anywhere
            if (i % 7 == 0) second = random.nextLong(0, 253_402_300_800L);
            else if (i % 3 == 0) second++;
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nano);
            assertEquals(t.toString(), time(texts, t));
        }
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000001Z", "2000-02-29T23:59:59.999999999Z",
                "9999-12-31T23:59:59.999Z", "2026-12-31T23:59:59.1Z"}) {
            Instant t = Instant.parse(edge);
            assertEquals(t.toString(), time(texts, t));
        }
    }

    @Test void timesOutsideFourDigitYearsAfter1970AreLeftToInstant() {
        var texts = new RecordTexts();
        assertEquals(-1, texts.time(Instant.parse("1969-12-31T23:59:59.5Z")));
        assertEquals(-1, texts.time(Instant.parse("+10000-01-01T00:00:00Z")));
        assertEquals("2026-01-01T00:00:00Z", time(texts, Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test void aDigestIsKeptAsItIsOnlyWhenJsonTakesItAsItIs() {
        var texts = new RecordTexts();
        String hex = "ab".repeat(32);
        assertArrayEquals(hex.getBytes(StandardCharsets.US_ASCII), texts.program(hex));
        assertNull(texts.program("a\"b"));
        assertNull(texts.config("tab\there"));
        assertNull(texts.config("é"));
        assertArrayEquals("c1".getBytes(StandardCharsets.US_ASCII), texts.config("c1"));
    }

    /** A record whose digest needs escaping still encodes to JSON that decodes to the same record. */
    @Test void aRecordWithAQuoteInItsDigestRoundTrips() throws Exception {
        JournalRecord r = JournalTest.record("r-01");
        JournalRecord odd = new JournalRecord(r.id(), r.time(), "p\"1", "c\\2", r.request(), r.route(), r.attempts(),
                r.response(), r.fuel(), r.memory(), r.micros(), r.failure(), r.stop(), 0);
        var texts = new RecordTexts();
        RecordCodec.encode(r, texts);
        JournalRecord back = RecordCodec.decode(RecordCodec.tree(RecordCodec.encode(odd, texts)));
        assertEquals("p\"1", back.program());
        assertEquals("c\\2", back.config());
        assertEquals(odd.time(), back.time());
    }
}

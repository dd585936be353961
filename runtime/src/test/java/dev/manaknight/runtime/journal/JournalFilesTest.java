package dev.manaknight.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.runtime.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.helpers.NOPLogger;

/** How the journal tools find and read a folder's segments: files that are no segment of ours, torn tails. */
@org.junit.jupiter.api.Timeout(60)
class JournalFilesTest {
    static final String INSTANCE = JournalTest.INSTANCE;
    @TempDir Path dir;

    private void write(String instance, int records) throws IOException {
        try (Journal j = Journal.open(new Config.Journal(dir, false, 1 << 20, 0, 16), instance, SegmentFiles.DISK,
                NOPLogger.NOP_LOGGER)) {
            for (int i = 1; i <= records; i++) j.append(JournalTest.record(instance + "-" + i));
        }
    }

    /**
     * A copy of a segment named with a number past an int (it stopped `verify`, `show` and `replay`
     * with a NumberFormatException) or with one leading zero too many is not a segment of ours.
     */
    @Test void aNameNoSegmentHasIsNoSegment() throws IOException {
        write(INSTANCE, 2);
        Path segment = dir.resolve(INSTANCE + "-000001.jsonl");
        for (String copy : List.of("-99999999999.jsonl", "-2147483648.jsonl", "-0000001.jsonl", "-000000.jsonl"))
            Files.copy(segment, dir.resolve(INSTANCE + copy));
        var segments = JournalFiles.segments(dir);
        assertEquals(List.of(new JournalFiles.Segment(segment, INSTANCE, 1)), segments.get(INSTANCE));
        assertEquals(1, segments.size());
        var result = JournalVerifier.verify(dir).getFirst();
        assertNull(result.broken(), String.valueOf(result.broken()));
        assertEquals(2, result.records());
    }

    @Test void everyNumberTheWriterCanGiveIsASegment() {
        for (int n : new int[] {1, 999_999, 1_000_000, Integer.MAX_VALUE}) {
            Path file = dir.resolve(Segments.fileName(INSTANCE, n));
            assertEquals(new JournalFiles.Segment(file, INSTANCE, n), Segments.parseName(file));
        }
    }

    /**
     * A torn tail (10 bytes cut off the end of one instance's last segment, as a crash can leave
     * it) is skipped with a warning naming its file and line; every other record of the folder
     * is read. Readers without a warning to give, and verify, still stop at it.
     */
    @Test void aTornTailIsSkippedWithAWarningAndTheRestIsRead() throws IOException {
        String other = "0000000xyz";
        write(INSTANCE, 3);
        write(other, 2);
        Path torn = dir.resolve(INSTANCE + "-000001.jsonl");
        byte[] bytes = Files.readAllBytes(torn);
        Files.write(torn, java.util.Arrays.copyOf(bytes, bytes.length - 10));

        var read = new ArrayList<String>();
        var warnings = new ArrayList<String>();
        for (var segs : JournalFiles.segments(dir).values())
            JournalFiles.records(segs, Reveal.NOTHING, warnings::add, (s, n, r) -> read.add(r.id()));
        assertEquals(List.of(INSTANCE + "-1", INSTANCE + "-2", other + "-1", other + "-2"), read);
        assertEquals(1, warnings.size());
        assertEquals(torn + ":4: its last line is cut short (as a crash can leave it), skipped; "
                + "`manaknight journal verify` reports it", warnings.getFirst());

        var segments = JournalFiles.segments(dir).get(INSTANCE);
        assertThrows(JournalFiles.Damaged.class, () -> JournalFiles.records(segments, (s, n, r) -> true));
        var broken = JournalVerifier.verify(dir).getFirst().broken();
        assertNotNull(broken);
        assertEquals(torn + ":4", broken.file() + ":" + broken.line());
    }

    /** Damage that is no torn tail stops its instance's reading as before. */
    @Test void damageBeforeTheTailIsNoTornTail() throws IOException {
        write(INSTANCE, 3);
        Path segment = dir.resolve(INSTANCE + "-000001.jsonl");
        String text = Files.readString(segment);
        int third = text.indexOf('\n', text.indexOf('\n', text.indexOf('\n') + 1) + 1); // the end of line 3
        Files.writeString(segment, text.substring(0, third - 10) + text.substring(third));
        var e = assertThrows(JournalFiles.Damaged.class,
                () -> JournalFiles.records(JournalFiles.segments(dir).get(INSTANCE), Reveal.NOTHING, w -> {}, (s, n, r) -> true));
        assertTrue(e.getMessage().startsWith(segment + ":3: "), e.getMessage());
    }
}

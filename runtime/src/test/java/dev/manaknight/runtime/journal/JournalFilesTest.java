package dev.manaknight.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}

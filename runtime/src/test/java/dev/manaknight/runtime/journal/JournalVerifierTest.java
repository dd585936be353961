package dev.manaknight.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.manaknight.runtime.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.helpers.NOPLogger;

/** `journal verify` on an instance's set of segments: each number from the first left on, none empty. */
@org.junit.jupiter.api.Timeout(60)
class JournalVerifierTest {
    static final String INSTANCE = JournalTest.INSTANCE;
    @TempDir Path dir;

    /** Writes `n` segments of one record each (a segment holds at least one, whatever its size). */
    private void segments(int n) throws IOException {
        try (Journal j = Journal.open(new Config.Journal(dir, false, 1, 0, 16), INSTANCE, SegmentFiles.DISK,
                NOPLogger.NOP_LOGGER)) {
            for (int i = 1; i <= n; i++) j.append(JournalTest.record("r-0" + i));
        }
        try (var s = Files.list(dir)) {
            assertEquals(n, s.count(), "one record per segment");
        }
    }

    private Path segment(int number) { return dir.resolve(Segments.fileName(INSTANCE, number)); }

    private String broken() throws IOException {
        var result = JournalVerifier.verify(dir).getFirst();
        return String.valueOf(result.broken());
    }

    @Test void aMissingMiddleSegmentIsNamed() throws IOException {
        segments(4);
        Files.delete(segment(2));
        assertEquals(segment(3) + ":1: the segment before it is missing (segment 2)", broken());
        Files.delete(segment(3));
        assertEquals(segment(4) + ":1: the segment before it is missing (segment 2 to 3)", broken());
    }

    /** An empty segment (a crash between making its file and writing its header) is a break, last or not. */
    @Test void anEmptySegmentIsABreak() throws IOException {
        segments(3);
        Files.write(segment(3), new byte[0]);
        assertEquals(segment(3) + ":1: the segment is empty (no header line)", broken());
        Files.write(segment(3), new byte[4096]); // zeros only: no line either
        assertEquals(segment(3) + ":1: the segment is empty (no header line)", broken());
        Files.delete(segment(3));
        assertEquals("null", broken());
        Files.write(segment(3), new byte[0]);
        Files.write(segment(2), new byte[0]);
        assertEquals(segment(2) + ":1: the segment is empty (no header line)", broken());
    }

    /** `keep` deletes the oldest segments: the first left begins the chain, and that is no break. */
    @Test void theOldestSegmentsDeletedAreNoBreak() throws IOException {
        segments(4);
        Files.delete(segment(1));
        Files.delete(segment(2));
        var result = JournalVerifier.verify(dir).getFirst();
        assertNull(result.broken(), String.valueOf(result.broken()));
        assertEquals(false, result.fromStart());
        assertEquals(2, result.records());
    }
}

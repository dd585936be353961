package dev.manaknight.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** `replay`'s closing line: the records skipped are counted in it, and only said when there are some. */
class ReplaySummaryTest {
    @Test void theSummaryCountsSkippedRecordsWhenThereAreSome() {
        assertEquals("3 replayed, 3 identical, 0 differ, 2 skipped", new Replayer.Summary(3, 3, 0, 2, 0).toString());
        assertEquals("3 replayed, 2 identical, 1 differ", new Replayer.Summary(3, 2, 1, 0, 0).toString());
    }
}

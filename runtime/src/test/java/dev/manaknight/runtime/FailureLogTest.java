package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.vm.VmError;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Issue 12, item 7: one 86-byte request that overflows the stack wrote ~7 KB; 20 attackers 232 MB in 12 s. */
class FailureLogTest {

    private static VmError overflow() {
        var frames = IntStream.range(0, 256).mapToObj(i -> new VmError.StackFrame("forever", "app.mnk", 7)).toList();
        return new VmError(VmError.Kind.STACK_OVERFLOW, "call depth limit of 256 frames exceeded", frames);
    }

    @Test void aDeepStackIsFoldedToItsEndsAndACount() {
        var out = new LogLines();
        new FailureLog(out).failed("a-1", "GET", "/forever", overflow());
        String line = out.lines.getFirst();
        assertEquals(1 + FailureLog.HEAD_FRAMES + 1 + FailureLog.TAIL_FRAMES, line.lines().count(), line);
        assertTrue(line.contains("... 244 more frames ..."), line);
        assertTrue(line.length() < 1000, "a short entry: " + line.length() + " chars");
    }

    @Test void aFloodOfOneKindIsCutToItsBurstThenCounted() {
        var out = new LogLines();
        var log = new FailureLog(out);
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) log.failed("a-" + i, "GET", "/forever", overflow());
        double seconds = (System.nanoTime() - start) / 1e9;
        long allowed = FailureLog.BURST + (long) Math.ceil(seconds * FailureLog.PER_SECOND);
        assertTrue(out.lines.size() <= allowed, out.lines.size() + " lines for 10,000 failures in " + seconds + " s");
        assertEquals(10_000 - out.lines.size(), log.dropped(), "every line held back is counted");
        // Another kind has a bucket of its own.
        log.failed("b-1", "GET", "/zero", new VmError(VmError.Kind.DIVISION_BY_ZERO, "division by zero", List.of()));
        assertTrue(out.lines.getLast().contains("division-by-zero"), out.lines.getLast());
    }

    @Test void theNextLineSaysHowManyWereHeldBack() throws Exception {
        var out = new LogLines();
        var log = new FailureLog(out);
        for (int i = 0; i < FailureLog.BURST + 5; i++) log.failed("a-" + i, "GET", "/x", overflow());
        Thread.sleep((long) (1000 / FailureLog.PER_SECOND) + 50); // one token refills
        log.failed("late", "GET", "/x", overflow());
        assertTrue(out.lines.getLast().contains("(5 more of this kind not logged)"), out.lines.getLast());
    }

    @Test void aJavaStackIsFoldedAndNeverPrintedWhole() {
        var out = new LogLines();
        var e = new IllegalStateException("boom", new RuntimeException("cause"));
        e.setStackTrace(IntStream.range(0, 300).mapToObj(i -> new StackTraceElement("C", "m" + i, "C.java", i))
                .toArray(StackTraceElement[]::new));
        new FailureLog(out).internal("a-1", "GET", "/x", e);
        String line = out.lines.getFirst();
        assertTrue(line.contains("... 288 more frames ..."), line);
        assertTrue(line.contains("caused by java.lang.RuntimeException: cause"), line);
        assertTrue(!line.contains("THROWABLE"), "the throwable is not handed to the backend, which would print it whole");
    }
}

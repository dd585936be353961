package dev.manaknight.runtime;

import dev.manaknight.lang.vm.VmError;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * The server log's lines for failed requests, bounded so that an attacker cannot turn one cheap
 * request into kilobytes of log (a stack overflow is 256 frames): a stack, Manaknight's or
 * Java's, is folded to its first {@link #HEAD_FRAMES} and last {@link #TAIL_FRAMES} frames and a
 * count; and each kind of failure writes at most {@link #BURST} lines at once, then
 * {@link #PER_SECOND} a second. What is held back is counted, said in the next line of that kind
 * that is written, and in {@link #dropped}.
 */
final class FailureLog {
    static final int HEAD_FRAMES = 8;
    static final int TAIL_FRAMES = 4;
    static final int BURST = 20;
    static final double PER_SECOND = 5;

    private final Logger log;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();

    FailureLog(Logger log) { this.log = log; }

    /** A request whose VM failed (its reply is a 500). */
    void failed(String id, String method, String path, VmError e) {
        long held = admit(e.kind().slug);
        if (held < 0) return;
        var text = new StringBuilder(200).append(e.kind().slug).append(": ").append(e.message());
        fold(e.stack().stream().map(VmError.StackFrame::toString).toList(), text);
        log.error("[{}] {} {} failed{}: {}", id, method, path, note(held), text);
    }

    /** A fault of the server's own while it handled a request: a bug, logged with its (folded) Java stack. */
    void internal(String id, String method, String path, Throwable t) {
        long held = admit("internal");
        if (held < 0) return;
        var text = new StringBuilder(400).append(t);
        fold(java.util.Arrays.stream(t.getStackTrace()).map(f -> "at " + f).toList(), text);
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) text.append("\n  caused by ").append(c);
        log.error("[{}] internal error on {} {}{}: {}", id, method, path, note(held), text);
    }

    /** Lines held back so far, over every kind. */
    long dropped() { return dropped.sum(); }

    private static String note(long held) {
        return held == 0 ? "" : " (" + held + " more of this kind not logged)";
    }

    /** -1: hold this line back; else the number held back since the last line of this kind. */
    private long admit(String kind) {
        long held = buckets.computeIfAbsent(kind, k -> new Bucket()).take(System.nanoTime());
        if (held < 0) dropped.increment();
        return held;
    }

    /** The frames, at most HEAD + TAIL of them, one per line with a count of those left out. */
    static void fold(List<String> frames, StringBuilder out) {
        int n = frames.size();
        if (n <= HEAD_FRAMES + TAIL_FRAMES + 1) {
            for (String f : frames) out.append("\n  ").append(f);
            return;
        }
        for (int i = 0; i < HEAD_FRAMES; i++) out.append("\n  ").append(frames.get(i));
        out.append("\n  ... ").append(n - HEAD_FRAMES - TAIL_FRAMES).append(" more frames ...");
        for (int i = n - TAIL_FRAMES; i < n; i++) out.append("\n  ").append(frames.get(i));
    }

    /** A token bucket per kind: BURST lines, refilled at PER_SECOND. */
    private static final class Bucket {
        private double tokens = BURST;
        private long last = System.nanoTime();
        private long held;

        synchronized long take(long now) {
            tokens = Math.min(BURST, tokens + (now - last) / 1e9 * PER_SECOND);
            last = now;
            if (tokens < 1) {
                held++;
                return -1;
            }
            tokens -= 1;
            long h = held;
            held = 0;
            return h;
        }
    }
}

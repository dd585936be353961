package dev.manaknight.netty;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a graceful stop did, counted by the connections as they drain and by {@link Endpoint}:
 * the stop line of `serve` and `fpm` says it (issue 17).
 */
public final class DrainTally {
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger closedIdle = new AtomicInteger();

    /** The counts at the end of a drain. */
    public record Report(boolean inTime, int completed, int cutOff, int closedIdle, int closedAtEnd) {
        /** `12 requests completed, 0 cut off at drain_timeout, 3 idle connections closed, 0 closed at the end`. */
        public String line() {
            return completed + " request(s) completed during the drain, " + cutOff + " cut off at drain_timeout, "
                    + closedIdle + " idle connection(s) closed, " + closedAtEnd + " connection(s) closed at the end";
        }
    }

    /** A connection answered a request while draining. Any thread. */
    public void completed() { completed.incrementAndGet(); }

    /** A connection closed while idle (nothing read and unanswered on it). Any thread. */
    public void closedIdle() { closedIdle.incrementAndGet(); }

    Report report(boolean inTime, int cutOff, int closedAtEnd) {
        return new Report(inTime, completed.get(), cutOff, closedIdle.get(), closedAtEnd);
    }
}

package dev.manaknight.http;

import dev.manaknight.runtime.LogThrottle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server's open connections against `server.max_connections`, and those turned away. */
final class ConnectionCount {
    private static final Logger LOG = LoggerFactory.getLogger("manaknight.serve");

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LogThrottle refusals = new LogThrottle(Duration.ofSeconds(10));

    ConnectionCount(int max) {
        this.max = max;
    }

    /** Counts a new connection in; false (counted as refused, and logged at most every 10 s) past the limit. */
    boolean enter() {
        if (open.incrementAndGet() <= max) return true;
        open.decrementAndGet();
        refused.increment();
        if (refusals.due())
            LOG.warn("{} connections open, the server.max_connections limit: new ones are answered 503 ({} so far)",
                    max, refused.sum());
        return false;
    }

    void leave() { open.decrementAndGet(); }

    /** A connection closed by `server.idle_timeout`. */
    void timedOut() { timedOut.increment(); }

    int open() { return open.get(); }

    long refused() { return refused.sum(); }

    long timedOutCount() { return timedOut.sum(); }
}

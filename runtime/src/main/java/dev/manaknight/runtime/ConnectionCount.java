package dev.manaknight.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's open connections against its {@link ConnectionLimit}: those let in, those turned
 * away (said in the log at most every 10 s), and those a server closed for idleness. One per
 * server, shared by its connections; `fpm` shows the numbers on its status page.
 */
public final class ConnectionCount {
    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    private final int max;
    private final String refusal;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final LogThrottle refusals = new LogThrottle(Duration.ofSeconds(10));

    /**
     * @param max     connections open at once
     * @param refusal what happens to a connection past it, for the log ("closed at once")
     */
    public ConnectionCount(int max, String refusal) {
        this.max = max;
        this.refusal = refusal;
    }

    /** Counts a new connection in; false, counted as refused, when `max` are open already. */
    public boolean enter() {
        if (open.incrementAndGet() <= max) {
            accepted.increment();
            return true;
        }
        open.decrementAndGet();
        refused.increment();
        if (refusals.due())
            LOG.warn("{} connections open, the server.max_connections limit: new ones are {} ({} so far)",
                    max, refusal, refused.sum());
        return false;
    }

    /** A connection that {@link #enter} let in has closed. */
    public void leave() { open.decrementAndGet(); }

    /** A connection the server closed because it stayed idle too long (`serve`'s idle_timeout). */
    public void closedIdle() { idleClosed.increment(); }

    public int max() { return max; }

    public int open() { return open.get(); }

    public long accepted() { return accepted.sum(); }

    public long refused() { return refused.sum(); }

    public long idleClosed() { return idleClosed.sum(); }
}

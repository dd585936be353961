package dev.manaknight.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's open connections against its {@link ConnectionLimit}: those let in, those turned
 * away (said in the log at most every 10 s), and those a server closed for idleness. One per
 * server, shared by its connections; `fpm` shows the numbers on its status page.
 *
 * <p>A connection that waits for a request may register itself as {@link Sheddable}. When the
 * table is full, a new connection then takes the place of an idle one, which is closed, instead
 * of being turned away: one client holding every slot with idle connections (10,000 of them, each
 * kept until the idle timeout) no longer locks every other client out (issue 12). The one idle
 * longest goes first, and none that has waited less than {@link #MIN_IDLE}: a client that has
 * just connected, or just had its answer, is about to send. A connection with a request being
 * read or run is never shed. Until a shed connection has closed, the count
 * is one over the limit.
 */
public final class ConnectionCount {
    /** A connection the server may close to make room for a new one. */
    public interface Sheddable {
        /**
         * Closes this connection if it still waits for a request (nothing read or running), from
         * any thread; false, touching nothing, when it no longer does.
         */
        boolean shed();
    }

    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    private final int max;
    private final String refusal;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final LongAdder shed = new LongAdder();
    /** How long a connection must have waited before it may be shed. */
    public static final java.time.Duration MIN_IDLE = java.time.Duration.ofSeconds(1);

    /** One idle connection, ordered by how long it has waited, then by arrival. */
    private record Idle(long since, long seq, Sheddable connection) implements Comparable<Idle> {
        @Override public int compareTo(Idle o) {
            int c = Long.compare(since, o.since);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final Map<Sheddable, Idle> idleEntries = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<Idle> idle = new ConcurrentSkipListSet<>();
    private final AtomicLong seq = new AtomicLong();
    private final java.util.function.LongSupplier clock;
    private final LogThrottle refusals = new LogThrottle(Duration.ofSeconds(10));

    /**
     * @param max     connections open at once
     * @param refusal what happens to a connection past it, for the log ("closed at once")
     */
    public ConnectionCount(int max, String refusal) { this(max, refusal, System::nanoTime); }

    /** @param clock nanoseconds, for {@link #MIN_IDLE} (tests move it by hand) */
    ConnectionCount(int max, String refusal, java.util.function.LongSupplier clock) {
        this.max = max;
        this.refusal = refusal;
        this.clock = clock;
    }

    /**
     * Counts a new connection in; when `max` are open already, closes an idle one to make room,
     * else returns false, counted as refused.
     */
    public boolean enter() {
        if (open.incrementAndGet() <= max) {
            accepted.increment();
            return true;
        }
        long now = clock.getAsLong();
        for (Idle e : idle) {
            if (now - e.since() < MIN_IDLE.toNanos()) break; // the rest waited less still
            if (idle.remove(e) && idleEntries.remove(e.connection(), e) && e.connection().shed()) {
                accepted.increment(); // the shed one's leave() follows when it has closed
                shed.increment();
                return true;
            }
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

    /** `c` waits for a request: it may be shed to make room. */
    public void idle(Sheddable c) {
        var e = new Idle(clock.getAsLong(), seq.incrementAndGet(), c);
        Idle old = idleEntries.put(c, e);
        if (old != null) idle.remove(old);
        idle.add(e);
    }

    /** `c` reads or runs a request, or has closed: it may not be shed. */
    public void busy(Sheddable c) {
        Idle e = idleEntries.remove(c);
        if (e != null) idle.remove(e);
    }

    /** Idle connections closed to make room for new ones. */
    public long shed() { return shed.sum(); }

    /** A connection the server closed because it stayed idle too long (`serve`'s idle_timeout). */
    public void closedIdle() { idleClosed.increment(); }

    public int max() { return max; }

    public int open() { return open.get(); }

    public long accepted() { return accepted.sum(); }

    public long refused() { return refused.sum(); }

    public long idleClosed() { return idleClosed.sum(); }
}

package dev.manaknight.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The wall-clock limit of in-flight requests, enforced by one sweeper that looks at them every
 * {@link #SWEEP} instead of a timer task per request: registering a request only adds it to a
 * concurrent set, so no thread is signalled or woken on the request path (a per-request
 * `schedule` + `cancel` woke the timer thread for almost every request; see bench/RESULTS.md).
 * A request is stopped at most one sweep late.
 */
final class Deadlines implements AutoCloseable {
    /** How often expired requests are looked for: the timeout's resolution. */
    static final Duration SWEEP = Duration.ofMillis(10);

    /** One in-flight request: when it expires and what stops it. */
    static final class Entry {
        private final long deadline;
        private final Runnable expire;
        private volatile boolean expired;

        private Entry(long deadline, Runnable expire) {
            this.deadline = deadline;
            this.expire = expire;
        }

        /** True once the sweeper has stopped this request. */
        boolean expired() { return expired; }
    }

    private final Set<Entry> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    Deadlines() {
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("manaknight-timeout").factory());
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP.toNanos(), SWEEP.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts watching a request that must end within `timeout`; `expire` runs once if it does not. */
    Entry watch(Duration timeout, Runnable expire) {
        var e = new Entry(System.nanoTime() + timeout.toNanos(), expire);
        inFlight.add(e);
        return e;
    }

    /** The request ended. */
    void done(Entry e) {
        inFlight.remove(e);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Entry e : inFlight) {
            if (now - e.deadline < 0) continue;
            inFlight.remove(e);
            e.expired = true;
            try {
                e.expire.run();
            } catch (RuntimeException ignored) {
                // one request's cancel must not stop the sweeper
            }
        }
    }

    @Override public void close() {
        sweeper.shutdownNow();
    }
}

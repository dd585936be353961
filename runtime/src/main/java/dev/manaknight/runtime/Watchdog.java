package dev.manaknight.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per deployment that looks at its requests in flight every {@link #SWEEP}, instead
 * of a timer per request (registering only adds to a concurrent set: nothing is signalled on the
 * request path). For each request it:
 * <ol>
 * <li>at `limits.timeout` stops it ({@link InFlight#stop}: a flag the VM reads at its next check;
 *     the query cancel runs on one of the deployment's cancel threads, so a database that hangs in its cancel — a
 *     frozen PostgreSQL — cannot hold up this thread or any other request's deadline);</li>
 * <li>at `limits.timeout` + {@link #HARD_MARGIN}, if the request still has no reply, answers it
 *     itself ({@code hardStop}): whatever the request's thread is stuck in, its client is
 *     answered in time, and the late answer is dropped;</li>
 * <li>writes a request running past the slow-log threshold to the slow log, with its stack.</li>
 * </ol>
 */
final class Watchdog implements AutoCloseable {
    /** How often requests are looked at: the resolution of the deadlines. */
    static final Duration SWEEP = Duration.ofMillis(10);
    /**
     * How long past its deadline a request may take to stop by itself (the VM's next check, a
     * cancelled query, the rollback) before it is answered regardless: the documented bound on
     * a request's total time is `limits.timeout` + this.
     */
    static final Duration HARD_MARGIN = Duration.ofMillis(100);
    /** Sweeps a computing VM gets to publish its stack before its slow entry is written without one. */
    static final int STACK_ASKS = 20;

    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final SlowLog slowLog;
    private final Consumer<InFlight> hardStop;
    private final Thread thread;
    private volatile boolean closed;

    Watchdog(SlowLog slowLog, Consumer<InFlight> hardStop) {
        this.slowLog = slowLog;
        this.hardStop = hardStop;
        this.thread = Thread.ofPlatform().daemon().name("manaknight-watchdog").start(this::loop);
    }

    void watch(InFlight r) { inFlight.add(r); }

    void done(InFlight r) { inFlight.remove(r); }

    /** Requests watched now (tests). */
    int size() { return inFlight.size(); }

    /** Stops every request in flight (a drain cut short). */
    void stopAll(InFlight.Stop why) {
        for (InFlight r : inFlight) r.stop(why);
    }

    private void loop() {
        long period = SWEEP.toNanos();
        while (!closed) {
            try {
                sweep(System.nanoTime());
            } catch (RuntimeException | LinkageError e) {
                LOG.error("watchdog: {}", e.toString(), e); // the next sweep tries again
            }
            java.util.concurrent.locks.LockSupport.parkNanos(period);
        }
    }

    void sweep(long now) {
        long margin = HARD_MARGIN.toNanos();
        for (InFlight r : inFlight) {
            if (r.replied()) {
                inFlight.remove(r);
                continue;
            }
            if (r.pastDeadline(now)) {
                r.stop(InFlight.Stop.DEADLINE);
                if (now - r.deadlineNanos() >= margin) {
                    inFlight.remove(r);
                    hardStop.accept(r);
                }
                continue;
            }
            if (slowLog.due(r.startNanos(), now) && r.running() && !r.slowLogged()) {
                var stack = r.stackNow();
                if (stack != null || r.askedForStack() >= STACK_ASKS) slowLog.running(r, stack, now);
            }
        }
    }

    @Override public void close() {
        closed = true;
        java.util.concurrent.locks.LockSupport.unpark(thread);
    }
}

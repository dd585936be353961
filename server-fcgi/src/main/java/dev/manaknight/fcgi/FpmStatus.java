package dev.manaknight.fcgi;

import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.Admission;
import dev.manaknight.runtime.ConnectionCount;
import dev.manaknight.runtime.InFlight;
import dev.manaknight.runtime.RequestObserver;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The numbers behind the status page: PHP-FPM's pool counters, one slot per worker (a worker is
 * a permit to run a VM, not a process), VM failures by kind, and recent fuel and memory for
 * percentiles. Fed by every deployment the server runs (one per reload) as their
 * {@link RequestObserver}. Safe from every thread.
 */
final class FpmStatus implements RequestObserver {
    /** Fuel and memory percentiles are over the last this-many requests: recent, and cheap to sort. */
    static final int SAMPLES = 1024;

    /**
     * One worker slot as `?full` shows it; `running` is the request in it while busy (the slow
     * log asks it for its stack), null when idle.
     */
    record Slot(boolean busy, long requests, long startNanos, String method, String uri, long contentLength,
                long lastMicros, long lastMemory, long lastCpuNanos, InFlight running) {
        static final Slot IDLE = new Slot(false, 0, 0, "-", "-", 0, 0, 0, 0, null);
    }

    final String pool;
    final int workers;
    final int queueLen;
    final Instant start = Instant.now();
    final long startNanos = System.nanoTime();
    final LongAdder accepted = new LongAdder();
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger maxActive = new AtomicInteger();
    final AtomicInteger waiting = new AtomicInteger();
    final AtomicInteger maxWaiting = new AtomicInteger();
    final LongAdder maxChildrenReached = new LongAdder();
    final LongAdder overloaded = new LongAdder();
    final LongAdder slowRequests = new LongAdder();
    final AtomicLong reloads = new AtomicLong();
    /** FastCGI connections (PHP-FPM's `accepted conn` counts requests), against `max_connections`. */
    final ConnectionCount connections;
    private final Map<VmError.Kind, LongAdder> failures = new EnumMap<>(VmError.Kind.class);
    private final AtomicReferenceArray<Slot> slots;
    private final long[] fuel = new long[SAMPLES];
    private final long[] memory = new long[SAMPLES];
    private long sampled;

    private final Admission admission;

    FpmStatus(String pool, int workers, int queueLen, ConnectionCount connections, Admission admission) {
        this.admission = admission;
        this.pool = pool;
        this.workers = workers;
        this.queueLen = queueLen;
        this.connections = connections;
        for (VmError.Kind k : VmError.Kind.values()) failures.put(k, new LongAdder());
        slots = new AtomicReferenceArray<>(workers);
        for (int i = 0; i < workers; i++) slots.set(i, Slot.IDLE);
    }

    @Override public void queued(InFlight r) {
        accepted.increment();
        if (active.get() >= workers) maxChildrenReached.increment();
        inFlight(admission.inFlight());
    }

    /** The admission's requests in flight now: those beyond the busy workers are waiting. */
    void inFlight(int n) {
        int w = Math.max(0, n - workers);
        waiting.set(w);
        maxWaiting.accumulateAndGet(w, Math::max);
    }

    /** A request got a worker: it takes a free slot. */
    @Override public void started(InFlight r) {
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        var q = r.request();
        String uri = q.query().isEmpty() ? q.rawPath() : q.rawPath() + "?" + q.query();
        for (int i = 0; i < slots.length(); i++) {
            Slot s = slots.get(i);
            if (!s.busy() && slots.compareAndSet(i, s, new Slot(true, s.requests() + 1, r.startNanos(), q.method(), uri,
                    q.body().length, s.lastMicros(), s.lastMemory(), s.lastCpuNanos(), r)))
                return;
        }
        // more runners than slots only if workers changed: not shown per slot
    }

    @Override public void finished(InFlight r) {
        active.decrementAndGet();
        inFlight(admission.inFlight() - 1); // this request leaves its place right after
        sample(r.fuel(), r.memory());
        if (r.failure() != null) failures.get(r.failure().kind()).increment();
        for (int i = 0; i < slots.length(); i++) {
            Slot s = slots.get(i);
            if (s.running() == r) {
                slots.set(i, new Slot(false, s.requests(), s.startNanos(), s.method(), s.uri(), s.contentLength(),
                        (System.nanoTime() - s.startNanos()) / 1000, r.memory(), r.cpuNanos(), null));
                return;
            }
        }
    }

    /** A request was not admitted (it would wait without end): 503 / FCGI_OVERLOADED. */
    @Override public void rejected(InFlight r) {
        accepted.increment();
        overloaded.increment();
        maxChildrenReached.increment();
    }

    @Override public void slow(InFlight r) { slowRequests.increment(); }

    synchronized void sample(long fuelUsed, long memoryUsed) {
        int i = (int) (sampled++ % SAMPLES);
        fuel[i] = fuelUsed;
        memory[i] = memoryUsed;
    }

    Map<VmError.Kind, Long> failures() {
        var m = new EnumMap<VmError.Kind, Long>(VmError.Kind.class);
        failures.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    Slot slot(int i) { return slots.get(i); }

    /** p50, p90, p99, max of the recent fuel (`ofFuel`) or memory samples; zeros before any request. */
    synchronized long[] percentiles(boolean ofFuel) {
        int n = (int) Math.min(sampled, SAMPLES);
        long[] v = Arrays.copyOf(ofFuel ? fuel : memory, n);
        Arrays.sort(v);
        if (n == 0) return new long[4];
        return new long[] {v[(n - 1) * 50 / 100], v[(n - 1) * 90 / 100], v[(n - 1) * 99 / 100], v[n - 1]};
    }
}

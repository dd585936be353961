package dev.manaknight.fcgi;

import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.ConnectionCount;
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
 * percentiles. Safe from every thread.
 */
final class FpmStatus {
    /** Fuel and memory percentiles are over the last this-many requests: recent, and cheap to sort. */
    static final int SAMPLES = 1024;

    /**
     * One worker slot as `?full` shows it; `running` is the request in it while busy (the slow
     * log asks it for its stack), null when idle.
     */
    record Slot(boolean busy, long requests, long startNanos, String method, String uri, long contentLength,
                long lastMicros, long lastMemory, long lastCpuNanos, RequestContext running) {
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

    FpmStatus(String pool, int workers, int queueLen, ConnectionCount connections) {
        this.pool = pool;
        this.workers = workers;
        this.queueLen = queueLen;
        this.connections = connections;
        for (VmError.Kind k : VmError.Kind.values()) failures.put(k, new LongAdder());
        slots = new AtomicReferenceArray<>(workers);
        for (int i = 0; i < workers; i++) slots.set(i, Slot.IDLE);
    }

    /** A request was admitted; it waits for a worker when all are busy. */
    void queued() {
        accepted.increment();
        if (active.get() >= workers) maxChildrenReached.increment();
    }

    /** The admission's requests in flight now: those beyond the busy workers are waiting. */
    void inFlight(int n) {
        int w = Math.max(0, n - workers);
        waiting.set(w);
        maxWaiting.accumulateAndGet(w, Math::max);
    }

    /** A request got a worker: returns its slot. */
    int started(RequestContext rc, long contentLength) {
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        for (int i = 0; i < slots.length(); i++) {
            Slot s = slots.get(i);
            if (!s.busy() && slots.compareAndSet(i, s, new Slot(true, s.requests() + 1, rc.startNanos, rc.method, rc.uri,
                    contentLength, s.lastMicros(), s.lastMemory(), s.lastCpuNanos(), rc)))
                return i;
        }
        return -1; // more runners than slots only if workers changed: not shown per slot
    }

    void finished(int slot, RequestContext rc) {
        active.decrementAndGet();
        if (slot < 0) return;
        Slot s = slots.get(slot);
        slots.set(slot, new Slot(false, s.requests(), s.startNanos(), s.method(), s.uri(), s.contentLength(),
                (System.nanoTime() - s.startNanos()) / 1000, rc.memory, rc.cpuNanos, null));
    }

    /** A request was not admitted (it would wait without end): 503 / FCGI_OVERLOADED. */
    void rejected() {
        accepted.increment();
        overloaded.increment();
        maxChildrenReached.increment();
    }

    void failed(VmError.Kind kind) { failures.get(kind).increment(); }

    void slow() { slowRequests.increment(); }

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

package dev.manaknight.runtime;

import dev.manaknight.runtime.config.Config;
import java.util.Optional;

/**
 * Whether the JVM's heap can hold every request the config admits at once. Each VM's memory
 * meter stops its own request at `limits.memory`, but only if the JVM itself still has room: a
 * heap smaller than `workers` VMs at their limit, plus the request bodies the server holds
 * (`limits.body` × (`workers` + `queue`), capped by the body budget), would turn one heavy
 * moment into an OutOfMemoryError for the whole process. The launcher caps the heap
 * (`MANAKNIGHT_HEAP`, 256m by default; the FPM systemd unit sets 128m) so that a busy server
 * keeps a small footprint; this says when the cap is too small for the config.
 */
public final class HeapBudget {
    /** The server's own share: the program, pools, buffers, caches. */
    static final long BASE = 48L << 20;
    /** The meter estimates a VM's allocations; the JVM's real objects may take up to this many times as much. */
    static final int SLACK = 3;

    private HeapBudget() {}

    /**
     * Bytes of heap the config needs on a heap of `maxHeap`: the base, `workers` VMs at their
     * memory limit with slack, and the request bodies held at once (every admitted request's body
     * at `limits.body`, but no more than the body budget lets in).
     */
    public static long needed(Config config, long maxHeap) {
        return BASE + vms(config) + bodies(config, maxHeap);
    }

    private static long vms(Config config) {
        return (long) config.server().workers() * config.limits().memory() * SLACK;
    }

    static long bodies(Config config, long maxHeap) {
        var s = config.server();
        long all = (long) (s.workers() + s.queue()) * config.limits().body();
        return Math.min(all, s.bodyBudget(maxHeap, config.limits().body()));
    }

    /** A warning when `maxHeap` (Runtime.maxMemory()) is below {@link #needed}; empty when it is enough. */
    public static Optional<String> shortfall(Config config, long maxHeap) {
        long need = needed(config, maxHeap);
        if (maxHeap >= need) return Optional.empty();
        return Optional.of("the JVM heap (" + (maxHeap >> 20) + " MB) is smaller than " + config.server().workers()
                + " workers x limits.memory " + (config.limits().memory() >> 10) + " KB and " + (bodies(config, maxHeap) >> 20)
                + " MB of request bodies need (about " + (need >> 20)
                + " MB): a busy moment could exhaust it for every request; set MANAKNIGHT_HEAP (e.g. "
                + ((need >> 20) + 1) + "m) or lower workers, limits.memory or server.body_budget");
    }
}

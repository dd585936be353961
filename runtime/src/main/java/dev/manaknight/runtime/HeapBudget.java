package dev.manaknight.runtime;

import dev.manaknight.runtime.config.Config;
import java.util.Optional;

/**
 * Whether the JVM's heap can hold every request the config admits at once. Each VM's memory
 * meter stops its own request at `limits.memory`, but only if the JVM itself still has room: a
 * heap smaller than `workers` VMs at their limit would turn one heavy moment into an
 * OutOfMemoryError for the whole process. The launcher caps the heap (`MANAKNIGHT_HEAP`, 256m by
 * default; the FPM systemd unit sets 128m) so that a busy server keeps a small footprint; this
 * says when the cap is too small for the config.
 */
public final class HeapBudget {
    /** The server's own share: the program, pools, buffers, caches. */
    static final long BASE = 48L << 20;
    /** The meter estimates a VM's allocations; the JVM's real objects may take up to this many times as much. */
    static final int SLACK = 3;

    private HeapBudget() {}

    /** Bytes of heap the config needs: the base plus `workers` VMs at their memory limit, with slack. */
    public static long needed(Config config) {
        return BASE + (long) config.server().workers() * config.limits().memory() * SLACK;
    }

    /** A warning when `maxHeap` (Runtime.maxMemory()) is below {@link #needed}; empty when it is enough. */
    public static Optional<String> shortfall(Config config, long maxHeap) {
        long need = needed(config);
        if (maxHeap >= need) return Optional.empty();
        return Optional.of("the JVM heap (" + (maxHeap >> 20) + " MB) is smaller than " + config.server().workers()
                + " workers x limits.memory " + (config.limits().memory() >> 10) + " KB need (about " + (need >> 20)
                + " MB): a busy moment could exhaust it for every request; set MANAKNIGHT_HEAP (e.g. "
                + ((need >> 20) + 1) + "m) or lower workers or limits.memory");
    }
}

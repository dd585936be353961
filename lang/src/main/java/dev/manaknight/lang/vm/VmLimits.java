package dev.manaknight.lang.vm;

/**
 * Per-request limits. Memory and fuel are deterministic (the same request always stops at the
 * same instruction); CPU time is not, and backs them up against pathological builtins.
 *
 * @param memoryBytes heap the request's values may occupy, by the meter's estimate
 * @param fuel        units charged at back-edges, calls, and per element in builtins
 * @param cpuNanos    VM execution time, effects excluded; 0 for no limit
 * @param maxFrames   call depth
 */
public record VmLimits(long memoryBytes, long fuel, long cpuNanos, int maxFrames) {
    /** Call depth default: deep enough for honest recursion, shallow enough to fail fast. */
    public static final int DEFAULT_MAX_FRAMES = 256;

    /** The runtime's defaults: 256 KB, 1,000,000 fuel, 5 ms of CPU. */
    public static final VmLimits DEFAULTS = new VmLimits(256 * 1024, 1_000_000, 5_000_000, DEFAULT_MAX_FRAMES);

    public VmLimits {
        if (memoryBytes <= 0 || fuel <= 0 || cpuNanos < 0 || maxFrames <= 0)
            throw new IllegalArgumentException("limits must be positive");
    }
}

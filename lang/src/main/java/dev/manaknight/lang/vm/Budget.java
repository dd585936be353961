package dev.manaknight.lang.vm;

/**
 * One run's fuel counter, with the CPU-time and cancellation checks that ride on it: fuel is
 * charged only where control loops or calls and where builtins walk data, and every
 * {@link #TICK} units the clock and the cancel flag are looked at too (see vm.md).
 */
final class Budget {
    /** Fuel units between two looks at the clock and the cancel flag: rare enough to cost nothing. */
    static final int TICK = 1024;

    private final long limit;
    private final long cpuNanos;
    private long used;
    private long nextTick = TICK;
    private long startNanos;
    private long hostNanos;
    private volatile boolean cancelled;

    Budget(long limit, long cpuNanos) {
        this.limit = limit;
        this.cpuNanos = cpuNanos;
    }

    /** Charges `units` of fuel; throws when the budget cannot pay them (nothing is charged then). */
    void charge(long units) {
        if (units > limit - used) throw new Trap.FuelExhausted(limit);
        used += units;
        if (used >= nextTick) tick();
    }

    private void tick() {
        nextTick = used + TICK;
        checkTime();
    }

    /** Looks at the cancel flag and the CPU budget now. */
    /**
     * After an effect: only the cancel flag. The CPU budget is checked at fuel ticks alone, so a
     * handler that computes little is never failed by a slow first run (class loading, a cold JIT).
     */
    void checkCancelled() {
        if (cancelled) throw new Trap.Cancelled();
    }

    void checkTime() {
        if (cancelled) throw new Trap.Cancelled();
        if (cpuNanos > 0 && System.nanoTime() - startNanos - hostNanos > cpuNanos) throw new Trap.CpuExhausted(cpuNanos);
    }

    /** Starts (or restarts) the CPU clock for a run. */
    void start() {
        startNanos = System.nanoTime();
        hostNanos = 0;
    }

    /** Excludes time spent in the host (effects) from the CPU budget. */
    void excludeHostTime(long nanos) { hostNanos += nanos; }

    void cancel() { cancelled = true; }

    long used() { return used; }
}

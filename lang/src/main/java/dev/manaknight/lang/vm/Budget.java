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
    /** CPU measuring starts at the first tick: the first TICK units are bounded work anyway. */
    private boolean measuring;
    private long segmentStart;
    private long cpuUsed;
    private long[] clockScratch;
    private volatile boolean cancelled;

    Budget(long limit, long cpuNanos) {
        this.limit = limit;
        this.cpuNanos = cpuNanos;
    }

    /**
     * Charges `units` of fuel; throws when the budget cannot pay them (nothing is charged then).
     *
     * @return true when this charge crossed a tick (the VM then also looks for a stack request)
     */
    boolean charge(long units) {
        if (units > limit - used) throw new Trap.FuelExhausted(limit);
        used += units;
        if (used < nextTick) return false;
        tick();
        return true;
    }

    private void tick() {
        nextTick = used + TICK;
        checkTime();
    }

    /**
     * After an effect: only the cancel flag. The CPU budget is checked at fuel ticks alone, so a
     * handler that computes little is never failed by a slow first run (class loading, a cold JIT).
     */
    void checkCancelled() {
        if (cancelled) throw new Trap.Cancelled();
    }

    /** Looks at the cancel flag and the CPU budget now. */
    void checkTime() {
        if (cancelled) throw new Trap.Cancelled();
        if (cpuNanos <= 0) return;
        if (!measuring) {
            clockScratch = new long[2];
            measuring = true;
            segmentStart = CpuClock.now(clockScratch);
            return;
        }
        if (cpuUsed + CpuClock.now(clockScratch) - segmentStart > cpuNanos) throw new Trap.CpuExhausted(cpuNanos);
    }

    /** Starts (or restarts) the CPU clock for a run. */
    void start() {
        measuring = false;
        cpuUsed = 0;
    }

    /** Before a host call: the call's time is not the VM's. */
    void pauseCpu() {
        if (measuring) cpuUsed += CpuClock.now(clockScratch) - segmentStart;
    }

    /** After a host call: the VM may now run on another carrier thread, so its clock restarts. */
    void resumeCpu() {
        if (measuring) segmentStart = CpuClock.now(clockScratch);
    }

    void cancel() { cancelled = true; }

    /**
     * CPU nanoseconds the run has used, as measured: from its first tick, host calls excluded.
     * A run that never reached a tick ({@link #TICK} fuel units) reports 0. Call after the run.
     */
    long cpuUsed() { return cpuUsed; }

    /** Ends the run's measuring: folds in the segment since the last host call or tick. */
    void stop() {
        pauseCpu();
        measuring = false;
    }

    long used() { return used; }
}

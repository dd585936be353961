package dev.manaknight.lang.vm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The CPU time of the OS thread running the caller, for the per-request CPU budget.
 *
 * <p>A VM runs on a virtual thread, which the JVM never preempts: between two host calls it stays
 * mounted on one carrier thread, so that carrier's CPU clock measures exactly the VM's work —
 * not the time it waited for a core on a loaded machine, which wall time would count.
 * ({@code ThreadMXBean} answers -1 for virtual threads.) The clock is Linux's
 * {@code clock_gettime(CLOCK_THREAD_CPUTIME_ID)} through the FFM API; where that is not
 * available (another OS, native access denied) it falls back to {@link System#nanoTime()}.
 * A read is a system call (~0.5 µs here), so the budget reads it only at fuel ticks.
 */
final class CpuClock {
    private CpuClock() {}

    /** Linux's CLOCK_THREAD_CPUTIME_ID. */
    private static final int THREAD_CPUTIME = 3;
    /** Immutable after class initialisation; null when the native clock is unavailable. */
    private static final MethodHandle CLOCK_GETTIME = lookup();

    private static MethodHandle lookup() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) return null;
        try {
            Linker linker = Linker.nativeLinker();
            var symbol = linker.defaultLookup().find("clock_gettime");
            if (symbol.isEmpty()) return null;
            MethodHandle h = linker.downcallHandle(symbol.get(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
                    Linker.Option.critical(true));
            long[] probe = new long[2];
            if ((int) h.invokeExact(THREAD_CPUTIME, MemorySegment.ofArray(probe)) != 0) return null;
            return h;
        } catch (Throwable unavailable) {
            return null;
        }
    }

    /** Nanoseconds of CPU of the current OS thread; `scratch` is a caller-owned long[2]. */
    static long now(long[] scratch) {
        if (CLOCK_GETTIME == null) return System.nanoTime();
        try {
            if ((int) CLOCK_GETTIME.invokeExact(THREAD_CPUTIME, MemorySegment.ofArray(scratch)) != 0) return System.nanoTime();
        } catch (Throwable e) {
            return System.nanoTime();
        }
        return scratch[0] * 1_000_000_000L + scratch[1];
    }
}

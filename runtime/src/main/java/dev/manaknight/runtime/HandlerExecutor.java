package dev.manaknight.runtime;

import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.VmError;
import java.util.List;

/**
 * The one seam between the request core and the interpreter: {@link VmExecutor} runs the real
 * VM; tests swap in a fake that answers without one.
 */
public interface HandlerExecutor {
    /** A fresh run (a new VM) with this host and exactly these capability bits. */
    Run start(Host host, int granted);

    /** One VM's life: invoked once, then dropped. */
    interface Run {
        Outcome invoke(int function, Object... args);

        /**
         * Bytes the request holds outside the VM (its raw body), charged to the run's memory with
         * the arguments when invoke starts. Call before invoke.
         */
        default void chargeHeld(long bytes) {}

        /** True when invoke refused to start because the inputs alone pass the memory limit. */
        default boolean inputsRefused() { return false; }

        /** Stops a running invoke with a timeout failure; safe from any thread. */
        void cancel();

        long fuelUsed();

        long memoryUsed();

        /** VM CPU time of the finished run, as the VM measures it (0 for runs too short to measure). */
        default long cpuNanos() { return 0; }

        /** The running VM's stack for the slow log, or null when it is not available (yet). Any thread. */
        default List<VmError.StackFrame> stackNow() { return null; }

        /** Source texts of the `expect`s that failed (tests only). */
        default List<String> expectationFailures() { return List.of(); }
    }
}

package dev.manaknight.lang.vm;

/**
 * Why the interpreter stopped abnormally: thrown anywhere inside a run, caught once at the top of
 * {@link Vm#invoke} and turned into a {@link VmError}. Traps carry no Java stack trace (they are
 * control flow, and the Manaknight stack is built from the VM's own frames).
 */
sealed abstract class Trap extends RuntimeException
        permits Trap.FuelExhausted, Trap.MemoryExhausted, Trap.CpuExhausted, Trap.StackOverflow, Trap.Cancelled,
                Trap.Fault {
    private Trap(String message) {
        super(message, null, false, false);
    }

    /** The error kind this trap becomes. */
    abstract VmError.Kind kind();

    /** The fuel budget ran out (deterministic). */
    static final class FuelExhausted extends Trap {
        FuelExhausted(long limit) { super("fuel limit of " + limit + " units exhausted"); }

        @Override VmError.Kind kind() { return VmError.Kind.FUEL_EXHAUSTED; }
    }

    /** The memory meter's limit would be crossed (deterministic). */
    static final class MemoryExhausted extends Trap {
        MemoryExhausted(long limit) { super("memory limit of " + limit + " bytes exhausted"); }

        @Override VmError.Kind kind() { return VmError.Kind.MEMORY_EXHAUSTED; }
    }

    /** The VM ran longer than its CPU budget (not deterministic; backs up fuel). */
    static final class CpuExhausted extends Trap {
        CpuExhausted(long nanos) { super("CPU limit of " + nanos / 1000 + "us exhausted"); }

        @Override VmError.Kind kind() { return VmError.Kind.CPU_EXHAUSTED; }
    }

    /** The call depth would exceed {@link VmLimits#maxFrames()}. */
    static final class StackOverflow extends Trap {
        StackOverflow(int maxFrames) { super("call depth limit of " + maxFrames + " frames exceeded"); }

        @Override VmError.Kind kind() { return VmError.Kind.STACK_OVERFLOW; }
    }

    /** {@link Vm#cancel()} was called (by a wall-clock timeout, a closed connection, a shutdown). */
    static final class Cancelled extends Trap {
        Cancelled() { super("the request was cancelled"); }

        @Override VmError.Kind kind() { return VmError.Kind.TIMEOUT; }
    }

    /** Every other run-time error: overflow, division by zero, bad index, failed effect, `fail`, … */
    static final class Fault extends Trap {
        private final VmError.Kind kind;

        Fault(VmError.Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        @Override VmError.Kind kind() { return kind; }
    }
}

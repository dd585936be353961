package dev.manaknight.lang.vm;

/**
 * One request's virtual machine: a value stack in two lanes, call frames, a fuel budget and a
 * memory meter. Create one per request (cheap), {@link #invoke} once, drop it.
 */
public final class Vm {
    /**
     * @param granted bit set of {@link dev.manaknight.lang.types.Capability} this run may use
     */
    public Vm(Program program, Host host, VmLimits limits, int granted) {
        throw new UnsupportedOperationException("TODO(vm helper)");
    }

    /** Runs function `function` with boxed arguments (one per parameter) to its end. */
    public Outcome invoke(int function, Object... args) {
        throw new UnsupportedOperationException("TODO(vm helper)");
    }

    /** Asks a running VM to stop with {@link VmError.Kind#TIMEOUT}; safe from any thread. */
    public void cancel() {
        throw new UnsupportedOperationException("TODO(vm helper)");
    }

    /** Fuel charged so far. */
    public long fuelUsed() {
        throw new UnsupportedOperationException("TODO(vm helper)");
    }

    /** Bytes charged to the memory meter so far. */
    public long memoryUsed() {
        throw new UnsupportedOperationException("TODO(vm helper)");
    }
}

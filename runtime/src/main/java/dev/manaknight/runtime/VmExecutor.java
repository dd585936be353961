package dev.manaknight.runtime;

import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Vm;
import dev.manaknight.lang.vm.VmError;
import dev.manaknight.lang.vm.VmLimits;
import java.util.List;

/** The real executor: one {@link Vm} per run, on the calling thread. */
public record VmExecutor(Program program, VmLimits limits) implements HandlerExecutor {
    @Override public Run start(Host host, int granted) {
        var vm = new Vm(program, host, limits, granted);
        return new Run() {
            @Override public Outcome invoke(int function, Object... args) { return vm.invoke(function, args); }

            @Override public void chargeHeld(long bytes) { vm.chargeHeld(bytes); }

            @Override public boolean inputsRefused() { return vm.inputsRefused(); }

            @Override public void cancel() { vm.cancel(); }

            @Override public long fuelUsed() { return vm.fuelUsed(); }

            @Override public long memoryUsed() { return vm.memoryUsed(); }

            @Override public long cpuNanos() { return vm.cpuNanos(); }

            @Override public List<VmError.StackFrame> stackNow() { return vm.stackNow(); }

            @Override public List<String> expectationFailures() { return vm.expectationFailures(); }
        };
    }
}

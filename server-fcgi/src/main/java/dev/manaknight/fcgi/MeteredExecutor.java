package dev.manaknight.fcgi;

import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.HandlerExecutor;
import java.util.List;

/**
 * Wraps the VM executor: ties each run to its {@link RequestContext} (so ABORT_REQUEST can
 * cancel it) and feeds the status page with failures by kind, fuel and memory, and slow requests.
 */
record MeteredExecutor(HandlerExecutor inner, FpmStatus status, SlowLog slowLog) implements HandlerExecutor {
    @Override public Run start(Host host, int granted) {
        Run run = inner.start(host, granted);
        RequestContext ctx = RequestContext.CURRENT.isBound() ? RequestContext.CURRENT.get() : null;
        if (ctx != null) ctx.attach(run, slowLog);
        return new Run() {
            @Override public Outcome invoke(int function, Object... args) {
                Outcome o = run.invoke(function, args);
                long fuel = run.fuelUsed();
                long memory = run.memoryUsed();
                status.sample(fuel, memory);
                if (o instanceof Outcome.Failed f) status.failed(f.error().kind());
                if (ctx != null) {
                    ctx.memory = memory;
                    ctx.cpuNanos = run.cpuNanos();
                    slowLog.consider(ctx, o);
                }
                return o;
            }

            @Override public void cancel() { run.cancel(); }

            @Override public long fuelUsed() { return run.fuelUsed(); }

            @Override public long memoryUsed() { return run.memoryUsed(); }

            @Override public long cpuNanos() { return run.cpuNanos(); }

            @Override public List<VmError.StackFrame> stackNow() { return run.stackNow(); }

            @Override public List<String> expectationFailures() { return run.expectationFailures(); }
        };
    }
}

package dev.manaknight.fcgi;

import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.HandlerExecutor;
import java.util.List;

/**
 * What the server knows about one running request that the VM's executor needs: the handle that
 * ABORT_REQUEST (or a vanished connection) uses to cancel that request's VM, and the URI for
 * the slow log. Bound as a scoped value around `RequestCore.handle`.
 */
final class RequestContext {
    static final ScopedValue<RequestContext> CURRENT = ScopedValue.newInstance();

    final String method;
    final String uri;
    final long startNanos = System.nanoTime();
    private volatile HandlerExecutor.Run run;
    private volatile boolean cancelled;
    /** Peak VM bytes of the run, for the worker row of `?full`. */
    volatile long memory;
    /** VM CPU nanoseconds of the run (see Vm#cpuNanos), for `last request cpu`. */
    volatile long cpuNanos;
    /** The slow log wrote this request while it ran; its end adds nothing more unless it failed. Guarded by this. */
    boolean slowLogged;
    /** The VM has finished: the slow log's watcher writes nothing more of it. Guarded by this. */
    boolean ended;
    /** Sweeps of the slow-log watcher that asked for the stack and got none yet. */
    int stackAsks;
    /** The slow log of the generation the request runs in; null until its VM starts. */
    volatile SlowLog slowLog;

    RequestContext(String method, String uri) {
        this.method = method;
        this.uri = uri;
    }

    /** The VM of this request exists now; a cancel that came first stops it at once. */
    void attach(HandlerExecutor.Run r, SlowLog log) {
        slowLog = log;
        run = r;
        if (cancelled) r.cancel();
    }

    /** Stops the VM (now, or as soon as it starts); safe from any thread. */
    void cancel() {
        cancelled = true;
        HandlerExecutor.Run r = run;
        if (r != null) r.cancel();
    }

    boolean cancelled() { return cancelled; }

    /** The VM's stack now (see Vm#stackNow), or null: no VM yet, or not available yet. */
    List<VmError.StackFrame> stackNow() {
        HandlerExecutor.Run r = run;
        return r == null ? null : r.stackNow();
    }
}

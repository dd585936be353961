package dev.manaknight.fcgi;

import dev.manaknight.runtime.HandlerExecutor;

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

    RequestContext(String method, String uri) {
        this.method = method;
        this.uri = uri;
    }

    /** The VM of this request exists now; a cancel that came first stops it at once. */
    void attach(HandlerExecutor.Run r) {
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
}

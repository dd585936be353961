package dev.manaknight.runtime;

import dev.manaknight.lang.vm.VmError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request from the moment a transport hands it to a {@link Deployment} until its reply is
 * decided: the hooks between the transport, the core and the deployment's watchdog.
 * <ul>
 * <li><b>Cancellation</b>: {@link #stop} — the client went away, FastCGI's ABORT_REQUEST, the
 *     deadline, a drain cut short — stops the request's VM at its next check and cancels its
 *     running query (on the deployment's cancel threads: platform threads, since a query that
 *     pins every carrier must not keep its own cancel from running), at once or as soon as the
 *     VM exists, from any thread, never blocking.</li>
 * <li><b>Observation</b>: what the run cost (fuel, memory, CPU, effects, failure), the VM's
 *     stack while it runs ({@link #stackNow}), its route; the deployment's observer, slow log
 *     and access log read them.</li>
 * <li><b>One reply</b>: the first {@link #complete} wins — the core's answer, or the watchdog's
 *     at the hard deadline — and only that one is logged and delivered.</li>
 * </ul>
 */
public final class InFlight {
    /** Why a request was stopped before its handler answered. */
    public enum Stop {
        /** `limits.timeout` passed. */
        DEADLINE,
        /** The client closed the connection, or the web server aborted the request. */
        CLIENT_GONE,
        /** The server stopped and `drain_timeout` passed. */
        DRAIN
    }

    /** What the deployment does with the one reply: log it, deliver it. */
    interface Completion {
        void complete(InFlight request, Reply reply);
    }

    private final String id;
    private final Request request;
    private final long startNanos;
    private final long deadlineNanos;
    private final Completion completion;
    private final java.util.concurrent.Executor cancels;
    private final AtomicBoolean replied = new AtomicBoolean();
    /** The thread holding the admission's worker for this request, or null (Deployment). */
    private final java.util.concurrent.atomic.AtomicReference<Thread> worker = new java.util.concurrent.atomic.AtomicReference<>();
    private volatile Stop stopped;
    private volatile HandlerExecutor.Run run;
    private volatile Runnable hostCancel;
    private volatile boolean running;
    private volatile boolean started;
    private volatile boolean rejected;
    private volatile Reply reply;

    // What the run cost; written by the request's thread before it completes.
    private volatile String route;
    private volatile long fuel;
    private volatile long memory;
    private volatile long cpuNanos;
    private volatile int effects;
    private volatile VmError failure;
    /** Slow-log state, guarded by this: written while running, the VM has ended. */
    private boolean slowLogged;
    private boolean ended;
    /** Runs after the first (the request's thread only). */
    private volatile int retries;
    private int stackAsks;
    /** The runs of the handler for the journal, or null when no journal keeps them. */
    private volatile List<dev.manaknight.runtime.journal.Attempt> attempts;
    private volatile boolean journaledAtCommit;
    /**
     * What still holds the request's place in the deployment once it was admitted: the thread that
     * took it (its worker's, or the transport's for an inline run) and, from when it is decided,
     * its reply until delivered (in audit mode that waits for the disk). The last one to let go
     * makes the request leave (Deployment). 0 for a request never admitted.
     */
    private final java.util.concurrent.atomic.AtomicInteger holds = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean admitted;

    /** @param cancels where a running query's cancel runs (it may block): never the caller's thread */
    InFlight(String id, Request request, long startNanos, long timeoutNanos, Completion completion,
             java.util.concurrent.Executor cancels) {
        this.cancels = cancels;
        this.id = id;
        this.request = request;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + timeoutNanos;
        this.completion = completion;
    }

    public String id() { return id; }

    public Request request() { return request; }

    public long startNanos() { return startNanos; }

    long deadlineNanos() { return deadlineNanos; }

    /** True once `now` (System.nanoTime) is at or past the deadline. */
    boolean pastDeadline(long now) { return now - deadlineNanos >= 0; }

    // ---- cancellation ----------------------------------------------------------------------

    /**
     * Stops the request: its VM ends at its next check with a `timeout` failure, a running query
     * is cancelled (on the deployment's cancel threads: a driver's cancel may block), later effects fail. The
     * first reason is kept. Safe from any thread; never blocks.
     */
    public void stop(Stop why) {
        if (stopped != null) return;
        stopped = why;
        HandlerExecutor.Run r = run;
        if (r != null) r.cancel();
        cancelHost();
    }

    /** The reason the request was stopped, or null. */
    public Stop stopped() { return stopped; }

    /** The VM of this request and how to cancel its effects; a stop that came first acts now. */
    void attach(HandlerExecutor.Run r, Runnable cancelEffects) {
        hostCancel = cancelEffects;
        run = r;
        running = true;
        if (stopped != null) {
            r.cancel();
            cancelHost();
        }
    }

    private void cancelHost() {
        Runnable c = hostCancel;
        if (c != null) {
            try {
                cancels.execute(c);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // every canceller is stuck (a database that hangs in its cancel): the VM is
                // stopped all the same, and the query ends at its socket timeout
            }
        }
    }

    /** The VM has finished: its stack is no longer available. */
    void detach() {
        running = false;
        run = null;
        synchronized (this) {
            ended = true;
        }
    }

    /** The handler runs again, in a new VM and transaction, after its transaction lost a race (RequestCore). */
    void retrying() {
        retries++;
        synchronized (this) {
            ended = false;
        }
    }

    /** How many times the handler was run again after a conflict. */
    public int retries() { return retries; }

    /** Workers and queue were full: the request was answered 503 without running. */
    void markRejected() { rejected = true; }

    /** True when the request was refused at admission (FastCGI answers it FCGI_OVERLOADED). */
    public boolean rejected() { return rejected; }

    /** A worker took the request (it no longer waits in the queue). */
    void markStarted() { started = true; }

    /** True once a worker took the request. */
    public boolean started() { return started; }

    /** The request has a place (running or waiting): held by the admitting thread until it {@link #letGo}es. */
    void admitted() {
        holds.set(1);
        admitted = true;
    }

    /**
     * One holder of an admitted request's place lets go: the thread that took it, when done, and
     * the reply, once delivered. True for the last one (the request leaves then); always false for
     * a request never admitted.
     */
    boolean letGo() { return admitted && holds.decrementAndGet() == 0; }

    /** The calling thread took one of the admission's workers for this request. */
    void holdWorker() { worker.set(Thread.currentThread()); }

    /**
     * True once, on the thread that holds the request's worker: the caller gives the worker back.
     * False on any other thread (a watchdog's answer must not free a worker whose VM still runs).
     */
    boolean releaseWorker() { return worker.compareAndSet(Thread.currentThread(), null); }

    /** True while the request's VM exists (it got a worker and passed input validation). */
    public boolean running() { return running; }

    /** The VM's Manaknight stack now, or null (see Vm#stackNow). Any thread. */
    public List<VmError.StackFrame> stackNow() {
        HandlerExecutor.Run r = run;
        return r == null ? null : r.stackNow();
    }

    // ---- the one reply ---------------------------------------------------------------------

    /**
     * Decides the reply: adds `X-Request-Id`, then logs and delivers it through the deployment.
     *
     * @return false when another reply came first (this one is dropped)
     */
    boolean complete(Reply r) {
        if (!replied.compareAndSet(false, true)) return false;
        if (admitted) holds.incrementAndGet(); // the reply holds the place until it is delivered
        Reply withId = withId(r);
        reply = withId;
        completion.complete(this, withId);
        return true;
    }

    /** The reply as it is delivered: `X-Request-Id` last. */
    Reply withId(Reply r) {
        var headers = new ArrayList<Header>(r.headers().size() + 1);
        headers.addAll(r.headers());
        headers.add(new Header("X-Request-Id", id));
        return new Reply(r.status(), headers, r.body());
    }

    /** The journal could not keep the decided reply's record (audit mode): this one is delivered instead. */
    void replaceReply(Reply r) { reply = r; }

    /** True once the reply was decided. */
    public boolean replied() { return replied.get(); }

    /** The reply as delivered, or null before. */
    public Reply reply() { return reply; }

    // ---- what the run cost -----------------------------------------------------------------

    void route(String r) { route = r; }

    void cost(long fuelUsed, long memoryUsed, long cpu, int effectCalls) {
        fuel = fuelUsed;
        memory = memoryUsed;
        cpuNanos = cpu;
        effects = effectCalls;
    }

    void failure(VmError e) { failure = e; }

    /** Keeps the effect calls of each run of the handler, for the journal. */
    void keepAttempts() { attempts = new java.util.concurrent.CopyOnWriteArrayList<>(); }

    /** A run of the handler ended: its calls are kept when the journal wants them. */
    void ran(dev.manaknight.runtime.effects.RequestHost host) {
        List<dev.manaknight.runtime.journal.Attempt> a = attempts;
        if (a != null) a.add(new dev.manaknight.runtime.journal.Attempt(host.calls(), host.conflicted(), host.databaseUnavailable()));
    }

    /** The last run's commit failed so: the journal keeps it with the run, for replay. */
    void commitFailed(dev.manaknight.runtime.effects.CommitFault fault) {
        List<dev.manaknight.runtime.journal.Attempt> a = attempts;
        if (a != null && !a.isEmpty()) a.set(a.size() - 1, a.getLast().withCommit(fault));
    }

    /** Audit mode: the request's record was committed with its change (journal.md, "Commits"): its reply waits for nothing more. */
    void journaledAtCommit() { journaledAtCommit = true; }

    boolean isJournaledAtCommit() { return journaledAtCommit; }

    /** The runs of the handler so far (empty when the journal is off or none ran). */
    public List<dev.manaknight.runtime.journal.Attempt> attempts() {
        List<dev.manaknight.runtime.journal.Attempt> a = attempts;
        return a == null ? List.of() : List.copyOf(a);
    }

    /** The matched route (`GET /users/:id`), or null. */
    public String route() { return route; }

    public long fuel() { return fuel; }

    /** Peak VM bytes, as the meter counts them. */
    public long memory() { return memory; }

    /** VM CPU nanoseconds (see Vm#cpuNanos). */
    public long cpuNanos() { return cpuNanos; }

    public int effects() { return effects; }

    /** The VM failure that made the reply a 500, or null. */
    public VmError failure() { return failure; }

    // ---- slow log --------------------------------------------------------------------------

    /** Claims the "still running" slow-log entry; false when written already or the VM ended. */
    synchronized boolean claimSlowEntry() {
        if (slowLogged || ended) return false;
        slowLogged = true;
        return true;
    }

    synchronized boolean slowLogged() { return slowLogged; }

    /** Counts one more sweep that asked for the stack and got none; returns the count. */
    int askedForStack() { return ++stackAsks; }
}

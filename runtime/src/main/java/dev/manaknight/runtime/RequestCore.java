package dev.manaknight.runtime;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.StepBound;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.effects.CommitFault;
import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.EffectSources;
import dev.manaknight.runtime.effects.QueryCatalog;
import dev.manaknight.runtime.effects.RequestHost;
import dev.manaknight.runtime.effects.ResultMapper;
import dev.manaknight.runtime.effects.Transaction;
import dev.manaknight.runtime.input.InputDecoder;
import dev.manaknight.runtime.input.Inputs;
import dev.manaknight.runtime.json.JsonEncoder;
import dev.manaknight.runtime.json.TypeTable;
import dev.manaknight.runtime.route.RouteMatch;
import dev.manaknight.runtime.route.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;

/**
 * The transport-neutral request path that HTTP, FastCGI and CGI all reach through a
 * {@link Deployment}: route → validate → a new VM with exactly the declared capabilities →
 * encode → commit or roll back. {@link #handle} never throws and is safe to call from many
 * threads; what it costs and how it failed go into the request's {@link InFlight}, through
 * which the transport can also stop it. Built only by {@link Deployment}.
 */
public final class RequestCore {
    /**
     * @param bodyLimit bytes; a larger body is a 413 (transports usually stop it earlier)
     * @param timeout   wall clock per request, effects included
     * @param dev       failure details and Manaknight stacks in 500 bodies
     * @param openApi   the app's OpenAPI document served at `GET /openapi.json` when no route
     *                  has that path, or null when `server.openapi` is off
     * @param memory    `limits.memory`, for the 413 of a request whose inputs alone pass it
     * @param retries `db.retries`: how many times a request whose transaction lost a race with
     *                another (a serialization failure, a deadlock, a busy lock) is run again
     */
    public record Options(long bodyLimit, Duration timeout, boolean dev, byte[] openApi, long memory, int retries) {}

    /**
     * Makes the host of each run of a handler: the real effects, or at replay the answers a
     * journal recorded (journal/ReplayHost).
     */
    public interface Hosts {
        RequestHost open(String requestId, int granted, Transaction tx, long deadlineNanos);
    }

    /**
     * Audit mode's hold on a commit (journal.md, "Commits"): a transaction that wrote commits its
     * request's record with its change, and the record goes to the journal's file after.
     */
    public interface CommitGate {
        /**
         * Puts the record of `r`, saying it answers `reply`, into `tx`, so that the commit makes
         * both durable; null when it did, else why the commit is not to be made (the transaction
         * then rolls back): the journal failing ({@link CommitFault.Kind#JOURNAL}), or the database.
         */
        CommitFault before(InFlight r, Reply reply, Transaction tx);

        /** How the commit went (`fault` null when it committed); called whenever {@link #before} answered null. */
        void after(InFlight r, CommitFault fault);
    }

    /** Where the OpenAPI document is served when enabled. */
    public static final String OPENAPI_PATH = "/openapi.json";

    /**
     * Inline handlers (runtime.md): a handler whose {@link StepBound} is at most this many
     * instructions, on a request whose body is at most {@link #INLINE_BODY} bytes, may run on the
     * transport's I/O thread. A few thousand instructions are a few microseconds.
     */
    public static final long INLINE_STEPS = 4_096;
    /** Bytes of request body past which a request is decoded on a worker, never inline. */
    public static final int INLINE_BODY = 16 * 1024;

    /** The first retry's largest pause; it doubles at each attempt. */
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** A retry starts only with at least this much of the request's time left. */
    private static final long RETRY_MIN_LEFT = TimeUnit.MILLISECONDS.toNanos(20);
    /** How often a pause looks at the request's stop. */
    private static final long RETRY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long a `database-unavailable` answer keeps first runs from queueing for the retry turn. */
    static final long UNREACHABLE_HOLD = TimeUnit.SECONDS.toNanos(1);

    private final Module module;
    private final HandlerExecutor executor;
    private final Database db;
    private final Options options;
    private final FailureLog failures;
    /** The server log: handlers' `log.info/warn/error`. */
    private final Logger log;
    private final Router router;
    private final TypeTable types;
    private final InputDecoder inputs;
    private final JsonEncoder encoder;
    private final QueryCatalog queries;
    private final ResultMapper mapper;
    /** `clock` and `random`: the system clock and a CSPRNG in a server, fixed in a test. */
    private final EffectSources sources;
    /** By function index: the handler is short and pure enough to run inline. */
    private final boolean[] inline;
    /**
     * Held by a request for each run after a conflict, and, while one such run is under way or
     * waits, by every run that may use the database: then they go one at a time, fair, in the
     * order they asked, so the transactions that collided cannot collide again, nor lose again
     * to new ones. Without conflicts nobody waits for it (one look at its state per request).
     * On SQLite a run again also takes the writer's turn from its start.
     */
    private final Semaphore retryTurn = new Semaphore(1, true);

    /** A run after a conflict holds the retry turn or waits for it. */
    private boolean contended() { return retryTurn.availablePermits() == 0 || retryTurn.hasQueuedThreads(); }

    /**
     * Until when (System.nanoTime) the database counts as out of reach: set for
     * {@link #UNREACHABLE_HOLD} by every request answered `database-unavailable`. Meanwhile a first
     * run does not queue for the retry turn: with no connection to be had, each holder of the turn
     * would keep it for `db.connect_timeout` before its 503, and the queue behind it would move at
     * one request per timeout until the last ones met their deadline (ClusterTest, issue 17).
     */
    private volatile long unreachableUntil = System.nanoTime();

    private boolean unreachable() { return unreachableUntil - System.nanoTime() > 0; }

    private final Hosts hosts;
    /** Audit mode's hold on commits, or null. */
    private final CommitGate gate;

    /**
     * @param db    null when the app has no database
     * @param hosts null: the real effects, from `sources`
     * @param gate  audit mode's hold on commits, or null
     */
    RequestCore(Module module, HandlerExecutor executor, Database db, Options options, FailureLog failures, Logger log,
                EffectSources sources, Hosts hosts, CommitGate gate) {
        this.gate = gate;
        this.module = module;
        this.sources = sources;
        this.log = log;
        this.executor = executor;
        this.db = db;
        this.options = options;
        this.failures = failures;
        this.router = new Router(module.routes());
        this.types = new TypeTable(module);
        this.inputs = new InputDecoder(types);
        this.encoder = new JsonEncoder(types);
        this.queries = new QueryCatalog(module.effects());
        this.mapper = new ResultMapper(types);
        this.inline = inlineHandlers(module);
        this.hosts = hosts != null ? hosts : (id, granted, tx, deadline) -> new RequestHost(id, granted, tx, queries, mapper,
                log, sources.clock(), sources.random(), sources.outbound(), deadline);
    }

    private static boolean[] inlineHandlers(Module module) {
        long[] steps = StepBound.of(module);
        boolean[] inline = new boolean[steps.length];
        for (Route r : module.routes()) {
            if (r.handler() >= steps.length) continue; // a manifest without code (tests' fake executors)
            long s = steps[r.handler()];
            inline[r.handler()] = s != StepBound.UNBOUNDED && s <= INLINE_STEPS;
        }
        return inline;
    }

    /** True when the module declares any `db` query (so it needs a database). */
    public static boolean usesDatabase(Module module) {
        for (EffectOp op : module.effects()) if (op.capability() == Capability.DB) return true;
        return false;
    }

    public Module module() { return module; }

    public TypeTable types() { return types; }

    public JsonEncoder encoder() { return encoder; }

    public Options options() { return options; }

    QueryCatalog queries() { return queries; }

    ResultMapper mapper() { return mapper; }

    HandlerExecutor executor() { return executor; }

    /**
     * Routes the request and decides where it may run. It may run on the thread it arrived on,
     * instead of waiting for a worker thread, when it matches no route (a 404, 405 or 400 answer),
     * or its route's handler has a small static step bound (no loops, recursion or effects; see
     * {@link StepBound}) and its body is small. Such a request still runs in its own VM under every
     * limit; it only skips the hand-off to another thread and back, which costs more than the
     * handler itself.
     */
    public Dispatch dispatch(Request req) {
        RouteMatch match = router.match(req.method(), req.rawPath());
        boolean here = req.body().length <= INLINE_BODY
                && (!(match instanceof RouteMatch.Found f) || inlineHandler(f.route().handler()));
        return new Dispatch(req, match, here);
    }

    private boolean inlineHandler(int function) { return function < inline.length && inline[function]; }

    /**
     * Runs the routed request in `r`'s name: its cost and failure are written into `r`, a stop
     * through `r` ends its VM. Returns the reply without `X-Request-Id` (the deployment adds it).
     */
    Reply handle(Dispatch d, InFlight r) {
        Request req = d.request();
        try {
            return route(d.match(), req, r);
        } catch (RuntimeException | Error e) {
            failures.internal(r.id(), req.method(), req.rawPath(), e);
            return Problem.of("internal", "Internal Server Error", 500, "internal error; see the server log for request " + r.id())
                    .withInstance(req.rawPath()).reply();
        }
    }

    private Reply route(RouteMatch match, Request req, InFlight r) {
        return switch (match) {
            case RouteMatch.NotFound nf -> {
                Reply doc = openApi(req);
                yield doc != null ? doc : Problem.notFound(req.rawPath()).withInstance(req.rawPath()).reply();
            }
            case RouteMatch.BadPath bp -> Problem.invalid(List.of(new InputError("/path", bp.detail())))
                    .withInstance(req.rawPath()).reply();
            case RouteMatch.MethodNotAllowed na -> Problem.of("method-not-allowed", "Method Not Allowed", 405,
                            req.method() + " is not allowed here; allowed: " + String.join(", ", na.allow()))
                    .withInstance(req.rawPath()).reply(new Header("Allow", String.join(", ", na.allow())));
            case RouteMatch.Found f -> {
                r.route(f.route().method() + " " + f.route().path());
                Reply reply = run(f.route(), f, req, r, f.head());
                yield f.head() ? headOf(reply) : reply;
            }
        };
    }

    /** @param head a `HEAD` request running the `GET` handler: its writes are never kept */
    private Reply run(Route route, RouteMatch.Found found, Request req, InFlight r, boolean head) {
        if (req.body().length > options.bodyLimit())
            return Problem.tooLarge(options.bodyLimit()).withInstance(req.rawPath()).reply();
        VmError lastConflict = null;
        for (int attempt = 1; ; attempt++) {
            Object[] args;
            switch (inputs.decode(route, found.params(), req)) { // afresh for each run: a VM may change what it was given
                case Inputs.Invalid inv -> { return Problem.invalid(inv.errors()).withInstance(req.rawPath()).reply(); }
                case Inputs.UnsupportedMediaType u -> {
                    return Problem.unsupportedMediaType(u.contentType()).withInstance(req.rawPath()).reply();
                }
                case Inputs.Valid v -> args = v.args();
            }
            Attempt result;
            if (attempt == 1 && !(db != null && (route.capabilities() & Capability.DB.bit()) != 0 && contended())) {
                result = attempt(route, args, req, r, false, head);
            } else {
                Turn turn = takeRetryTurn(r, attempt == 1);
                if (turn == Turn.MISSED)
                    return conflict(lastConflict != null ? lastConflict : new VmError(VmError.Kind.EFFECT_FAILED,
                            "no turn to run before the deadline: requests that conflicted ran first", List.of()), attempt - 1, req, r);
                try {
                    result = attempt(route, args, req, r, attempt > 1, head);
                } finally {
                    if (turn == Turn.HELD) retryTurn.release();
                }
            }
            switch (result) {
                case Attempt.Done d -> { return d.reply(); }
                case Attempt.Conflicted c -> {
                    if (attempt > options.retries() || !c.repeatable() || !backOff(attempt, r))
                        return conflict(c.error(), attempt, req, r);
                    lastConflict = c.error();
                    r.retrying();
                }
            }
        }
    }

    /** One run of the handler in a new VM and a new transaction: its reply, or a conflict it may be run again after. */
    private sealed interface Attempt {
        record Done(Reply reply) implements Attempt {}

        /**
         * The transaction lost a race with another (SqlFault.CONFLICT); nothing it did was kept.
         * `repeatable`: the run did nothing outside its transaction (RequestHost#repeatable).
         */
        record Conflicted(VmError error, boolean repeatable) implements Attempt {}
    }

    /**
     * @param again a run after a conflict: on SQLite its transaction writes from the start (Transaction#writeFromTheStart)
     * @param head  a `HEAD` request: nothing it writes is kept ({@link #commits})
     */
    private Attempt attempt(Route route, Object[] args, Request req, InFlight r, boolean again, boolean head) {
        Transaction tx = db == null ? null : new Transaction(db, r.deadlineNanos()); // waits for the db end at the deadline
        if (tx != null && again) tx.writeFromTheStart();
        RequestHost host = hosts.open(r.id(), route.capabilities(), tx, r.deadlineNanos());
        try {
            HandlerExecutor.Run vm = executor.start(host, route.capabilities());
            Outcome outcome;
            r.attach(vm, host::cancel);
            vm.chargeHeld(req.body().length); // the raw body is held while the handler runs
            try {
                outcome = vm.invoke(route.handler(), args);
                // A query cancelled (or no longer waited for) at the deadline fails as an effect; the cause is the clock.
                if ((r.stopped() == InFlight.Stop.DEADLINE || r.stopped() == null && r.pastDeadline(System.nanoTime()))
                        && outcome instanceof Outcome.Failed f
                        && f.error().kind() != VmError.Kind.TIMEOUT)
                    outcome = new Outcome.Failed(timeout(f.error().message(), f.error().stack()));
            } finally {
                r.detach();
                r.cost(vm.fuelUsed(), vm.memoryUsed(), vm.cpuNanos(), host.callCount());
                r.ran(host);
            }
            if (vm.inputsRefused()) // too large for this server's limits: the client's to fix, not a server fault
                return new Attempt.Done(Problem.of("body-too-large", "Content Too Large", 413, "the request's body and decoded "
                        + "inputs need more than limits.memory (" + options.memory() + " bytes) allows")
                        .withInstance(req.rawPath()).reply());
            return finish(outcome, tx, host, req, r, head);
        } finally {
            if (tx != null) tx.rollback(); // no-op after a commit; otherwise nothing is left open
        }
    }

    /** What a wait for the retry turn came to. */
    private enum Turn {
        /** The request holds the turn: release it after the run. */
        HELD,
        /** A first run that stopped waiting because the database is out of reach: it runs without the turn. */
        PASSED,
        /** Deadline (less {@link #RETRY_MIN_LEFT}) or stop came first. */
        MISSED
    }

    /**
     * Waits for the retry turn until the request's deadline (less {@link #RETRY_MIN_LEFT}) or its
     * stop; a first run (`firstRun`) stops waiting as soon as the database is out of reach
     * ({@link #unreachable}).
     */
    private Turn takeRetryTurn(InFlight r, boolean firstRun) {
        try {
            while (!retryTurn.tryAcquire(RETRY_POLL_NANOS, TimeUnit.NANOSECONDS)) {
                if (r.stopped() != null || r.deadlineNanos() - System.nanoTime() < RETRY_MIN_LEFT) return Turn.MISSED;
                if (firstRun && unreachable()) return Turn.PASSED;
            }
            return Turn.HELD;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Turn.MISSED;
        }
    }

    /** True while the request is neither stopped nor past its deadline. */
    private static boolean live(InFlight r) {
        return r.stopped() == null && !r.pastDeadline(System.nanoTime());
    }

    /**
     * Waits before run `attempt + 1`: a random pause (full jitter) of up to 5 ms doubled at each
     * attempt, so that the transactions that collided do not collide again in step. False, without
     * waiting, when the pause would end within {@link #RETRY_MIN_LEFT} of the deadline; false as
     * soon as the request is stopped.
     */
    private boolean backOff(int attempt, InFlight r) {
        long cap = RETRY_PAUSE_NANOS << Math.min(attempt - 1, 10);
        long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(cap / 4, cap + 1);
        if (r.deadlineNanos() - until < RETRY_MIN_LEFT) return false;
        for (long left; r.stopped() == null; ) {
            left = until - System.nanoTime();
            if (left <= 0) return true;
            LockSupport.parkNanos(Math.min(left, RETRY_POLL_NANOS));
        }
        return false;
    }

    /**
     * A request whose transaction kept losing races (`db.retries` runs after the first, no time
     * left for another, or a run that did something outside its transaction): 503 with
     * `Retry-After`, nothing kept, so the client may send it again.
     */
    private Reply conflict(VmError error, int runs, Request req, InFlight r) {
        // Stopped while it waited for its turn or its back-off: a client gone or a drain is
        // answered as any stopped request is (not logged as a failure; 503 shutting-down).
        if (r.stopped() == InFlight.Stop.CLIENT_GONE || r.stopped() == InFlight.Stop.DRAIN) return failure(error, req, r);
        r.failure(error);
        failures.failed(r.id(), req.method(), req.rawPath(), error);
        String detail = (runs == 0 ? "the request found no time to run among requests whose transactions conflicted"
                : "the request's transaction conflicted with concurrent ones " + (runs == 1 ? "once" : runs + " times"))
                + "; nothing it did was kept, retry shortly" + (options.dev() ? " (" + error.message() + ")"
                : " (see the server log for request " + r.id() + ")");
        return Problem.of("transaction-conflict", "Service Unavailable", 503, detail).withInstance(req.rawPath())
                .reply(new Header("Retry-After", "1"));
    }

    /**
     * Audit mode: the request's record could not be made durable, so nothing it did to the
     * database was kept (a change is committed only after its record; journal.md, "Commits").
     */
    static Reply journalUnavailable(String path, String id) {
        return Problem.of("journal-unavailable", "Service Unavailable", 503, "the request's record could not be written to "
                        + "the journal (audit mode), so no change it made to the database was kept; retry shortly (see the "
                        + "server log for request " + id + ")")
                .withInstance(path.isEmpty() ? null : path).reply(new Header("Retry-After", "1"));
    }

    private VmError timeout(String cause, List<VmError.StackFrame> stack) {
        return new VmError(VmError.Kind.TIMEOUT, "the request ran past its " + options.timeout().toMillis()
                + "ms wall-clock limit" + (cause == null ? "" : " (" + cause + ")"), stack);
    }

    /**
     * Whether a request's writes are kept: its handler answered below 400, or a 4xx with
     * `respond keep` — never for a 5xx, and never for `HEAD`, which answers as `GET` would but
     * must change nothing. Everything else (a 4xx, a 5xx, a VM failure, a broken limit, a
     * timeout, a client gone) rolls back.
     */
    static boolean commits(int status, boolean keep, boolean head) {
        return !head && (status < 400 || keep && status < 500);
    }

    private Attempt finish(Outcome outcome, Transaction tx, RequestHost host, Request req, InFlight r, boolean head) {
        return switch (outcome) {
            case Outcome.Responded resp -> {
                Reply reply;
                try {
                    reply = encode(resp.response(), req.rawPath());
                } catch (RuntimeException e) {
                    yield new Attempt.Done(failure(new VmError(VmError.Kind.INTERNAL, "the response cannot be encoded: "
                            + e.getMessage(), List.of()), req, r));
                }
                // a 5xx is rolled back (the `finally` in attempt); a replay's host has a transaction when the recorded run had
                if (reply.status() >= 500 || !host.transactional(tx)) yield new Attempt.Done(reply);
                // A request past its deadline never commits: its client has been, or is about to
                // be, answered that it timed out.
                if (r.stopped() != null || r.pastDeadline(System.nanoTime()))
                    yield new Attempt.Done(failure(r.stopped() == InFlight.Stop.DEADLINE || r.stopped() == null
                            ? timeout(null, List.of())
                            : new VmError(VmError.Kind.TIMEOUT, "the request was cancelled", List.of()), req, r));
                // below 400, or a 4xx with `keep`; else rolled back (the `finally` in attempt)
                if (!commits(reply.status(), resp.response().keep(), head)) yield new Attempt.Done(reply);
                // Audit mode: a change is committed only once its record is durable (journal.md, "Commits").
                boolean gated = gate != null && tx != null && tx.wrote();
                CommitFault fault = gated ? gate.before(r, reply, tx) : null;
                if (gated && fault == null) {
                    fault = live(r) ? host.commit(tx) // its deadline passed while the record was written: its client hears so
                            : new CommitFault(CommitFault.Kind.ABANDONED, "not made: the deadline passed while its record was written");
                    gate.after(r, fault);
                } else if (!gated) {
                    fault = host.commit(tx);
                }
                if (fault == null) yield new Attempt.Done(reply);
                r.commitFailed(fault);
                var error = new VmError(VmError.Kind.EFFECT_FAILED, "commit failed: " + fault.message(), List.of());
                yield switch (fault.kind()) {
                    case JOURNAL -> new Attempt.Done(journalUnavailable(req.rawPath(), r.id()));
                    case ABANDONED -> new Attempt.Done(failure(timeout("commit: " + fault.message(), List.of()), req, r));
                    case UNAVAILABLE -> new Attempt.Done(databaseUnavailable(error, req, r));
                    case UNKNOWN -> new Attempt.Done(outcomeUnknown(error, req, r));
                    case CONFLICT -> live(r) ? new Attempt.Conflicted(error, host.repeatable())
                            : new Attempt.Done(failure(error, req, r));
                    case STATEMENT -> new Attempt.Done(failure(error, req, r));
                };
            }
            case Outcome.Failed f -> {
                if (host.conflicted() && live(r)) yield new Attempt.Conflicted(f.error(), host.repeatable());
                yield new Attempt.Done(host.databaseUnavailable() && live(r) ? databaseUnavailable(f.error(), req, r)
                        : failure(f.error(), req, r));
            }
            case Outcome.Returned ret -> new Attempt.Done(failure(new VmError(VmError.Kind.INTERNAL,
                    "the handler ended without `respond`", List.of()), req, r));
        };
    }

    private Reply failure(VmError error, Request req, InFlight r) {
        r.failure(error);
        if (r.stopped() == InFlight.Stop.DRAIN) // cut off by a stop: its work is rolled back, another instance can take it
            return Problem.of("shutting-down", "Service Unavailable", 503,
                            "the server stopped before the request finished; nothing it did was kept")
                    .withInstance(req.rawPath()).reply(new Header("Retry-After", "1"));
        if (r.stopped() != InFlight.Stop.CLIENT_GONE) failures.failed(r.id(), req.method(), req.rawPath(), error);
        String detail = options.dev() ? error.message()
                : "the request failed (" + error.kind().slug + "); see the server log for request " + r.id();
        List<String> stack = options.dev() ? error.stack().stream().map(VmError.StackFrame::toString).toList() : List.of();
        return new Problem(error.kind().slug, "Internal Server Error", 500, detail, req.rawPath(), List.of(), stack).reply();
    }

    /**
     * A request that failed because the database was out of reach (no connection within the
     * pool's timeout, a connection lost, the SQLite file gone): 503 with `Retry-After`, nothing it
     * did kept, so the client may simply retry. The cause goes to the log (and the body in dev mode).
     */
    private Reply databaseUnavailable(VmError error, Request req, InFlight r) {
        unreachableUntil = System.nanoTime() + UNREACHABLE_HOLD;
        r.failure(error);
        failures.failed(r.id(), req.method(), req.rawPath(), error);
        String detail = options.dev() ? error.message()
                : "the database is unavailable; nothing was changed, retry shortly (see the server log for request " + r.id() + ")";
        return Problem.of("database-unavailable", "Service Unavailable", 503, detail).withInstance(req.rawPath())
                .reply(new Header("Retry-After", "1"));
    }

    /**
     * A request whose commit was sent but whose answer never came back (the database stopped or
     * the connection broke mid-commit): 500 `commit-outcome-unknown`, which says the change may
     * or may not have been saved, never "nothing was changed", and no `Retry-After`: a client
     * checks, or retries with the same idempotency key, rather than apply a change twice.
     */
    private Reply outcomeUnknown(VmError error, Request req, InFlight r) {
        r.failure(error);
        failures.failed(r.id(), req.method(), req.rawPath(), error);
        String detail = options.dev() ? error.message()
                : "the database connection was lost while the change was committed: it may or may not have been saved; "
                + "check before sending it again (see the server log for request " + r.id() + ")";
        return Problem.of("commit-outcome-unknown", "Internal Server Error", 500, detail).withInstance(req.rawPath()).reply();
    }

    /**
     * The handler's response as bytes; headers in the order written, Content-Type by the body
     * unless set. A bodiless status of 400 or more without a Content-Type is the problem document
     * the OpenAPI document promises for it (`about:blank`, the status's phrase), `instance` the path.
     */
    private Reply encode(Response r, String instance) {
        if (r.status() < 100 || r.status() > 599) throw new IllegalStateException("status " + r.status() + " is not an HTTP status");
        var headers = new ArrayList<Header>();
        boolean typed = false;
        for (Response.Header h : r.headers()) {
            String wrong = Response.Header.problem(h.name(), h.value()); // the VM checks too: never a bad header on the wire
            if (wrong != null) throw new IllegalStateException(wrong);
            typed |= h.name().equalsIgnoreCase("Content-Type");
            headers.add(new Header(h.name(), h.value()));
        }
        boolean problem = r.status() >= 400 && !typed;
        byte[] body = switch (r.body()) {
            case Response.Body.None n when problem -> {
                headers.add(new Header("Content-Type", Problem.MEDIA_TYPE));
                yield Problem.ofStatus(r.status()).withInstance(instance).toJson();
            }
            case Response.Body.None n -> new byte[0];
            case Response.Body.Json j -> {
                if (!typed) headers.add(new Header("Content-Type", "application/json"));
                yield encoder.encode(j.type(), j.value());
            }
            case Response.Body.Text t -> {
                if (!typed) headers.add(new Header("Content-Type", "text/plain; charset=utf-8"));
                yield t.text().getBytes(StandardCharsets.UTF_8);
            }
        };
        return new Reply(r.status(), headers, body);
    }

    /** The OpenAPI document for `GET`/`HEAD /openapi.json` when enabled, else null. */
    private Reply openApi(Request req) {
        if (options.openApi() == null || !req.rawPath().equals(OPENAPI_PATH)) return null;
        boolean head = req.method().equals("HEAD");
        if (!head && !req.method().equals("GET")) return null;
        var reply = new Reply(200, List.of(new Header("Content-Type", "application/json")), options.openApi());
        return head ? headOf(reply) : reply;
    }

    /** HEAD: the GET reply's status and headers, its length, no body. */
    private static Reply headOf(Reply r) {
        var headers = new ArrayList<>(r.headers());
        headers.add(new Header("Content-Length", String.valueOf(r.body().length)));
        return new Reply(r.status(), headers, new byte[0]);
    }
}

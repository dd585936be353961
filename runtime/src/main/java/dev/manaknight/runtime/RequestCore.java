package dev.manaknight.runtime;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.StepBound;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.QueryCatalog;
import dev.manaknight.runtime.effects.RequestHost;
import dev.manaknight.runtime.effects.ResultMapper;
import dev.manaknight.runtime.effects.SqlFault;
import dev.manaknight.runtime.effects.Transaction;
import dev.manaknight.runtime.input.InputDecoder;
import dev.manaknight.runtime.input.Inputs;
import dev.manaknight.runtime.json.JsonEncoder;
import dev.manaknight.runtime.json.TypeTable;
import dev.manaknight.runtime.route.RouteMatch;
import dev.manaknight.runtime.route.Router;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
     */
    public record Options(long bodyLimit, Duration timeout, boolean dev, byte[] openApi, long memory) {}

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
    /** By function index: the handler is short and pure enough to run inline. */
    private final boolean[] inline;

    /** @param db null when the app has no database */
    RequestCore(Module module, HandlerExecutor executor, Database db, Options options, FailureLog failures, Logger log) {
        this.module = module;
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
                Reply reply = run(f.route(), f, req, r);
                yield f.head() ? headOf(reply) : reply;
            }
        };
    }

    private Reply run(Route route, RouteMatch.Found found, Request req, InFlight r) {
        if (req.body().length > options.bodyLimit())
            return Problem.tooLarge(options.bodyLimit()).withInstance(req.rawPath()).reply();
        Object[] args;
        switch (inputs.decode(route, found.params(), req)) {
            case Inputs.Invalid inv -> { return Problem.invalid(inv.errors()).withInstance(req.rawPath()).reply(); }
            case Inputs.UnsupportedMediaType u -> {
                return Problem.unsupportedMediaType(u.contentType()).withInstance(req.rawPath()).reply();
            }
            case Inputs.Valid v -> args = v.args();
        }
        Transaction tx = db == null ? null : new Transaction(db, r.deadlineNanos()); // waits for the db end at the deadline
        var host = new RequestHost(r.id(), route.capabilities(), tx, queries, mapper, log, System::currentTimeMillis,
                ThreadLocalRandom.current());
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
            }
            if (vm.inputsRefused()) // too large for this server's limits: the client's to fix, not a server fault
                return Problem.of("body-too-large", "Content Too Large", 413, "the request's body and decoded inputs need more "
                        + "than limits.memory (" + options.memory() + " bytes) allows").withInstance(req.rawPath()).reply();
            return finish(outcome, tx, host, req, r);
        } finally {
            if (tx != null) tx.rollback(); // no-op after a commit; otherwise nothing is left open
        }
    }

    private VmError timeout(String cause, List<VmError.StackFrame> stack) {
        return new VmError(VmError.Kind.TIMEOUT, "the request ran past its " + options.timeout().toMillis()
                + "ms wall-clock limit" + (cause == null ? "" : " (" + cause + ")"), stack);
    }

    private Reply finish(Outcome outcome, Transaction tx, RequestHost host, Request req, InFlight r) {
        return switch (outcome) {
            case Outcome.Responded resp -> {
                Reply reply;
                try {
                    reply = encode(resp.response());
                } catch (RuntimeException e) {
                    yield failure(new VmError(VmError.Kind.INTERNAL, "the response cannot be encoded: " + e.getMessage(),
                            List.of()), req, r);
                }
                if (reply.status() >= 500 || tx == null) yield reply;
                // A request past its deadline never commits: its client has been, or is about to
                // be, answered that it timed out.
                if (r.stopped() != null || r.pastDeadline(System.nanoTime()))
                    yield failure(r.stopped() == InFlight.Stop.DEADLINE || r.stopped() == null ? timeout(null, List.of())
                            : new VmError(VmError.Kind.TIMEOUT, "the request was cancelled", List.of()), req, r);
                try {
                    tx.commit();
                } catch (Transaction.Abandoned e) {
                    yield failure(timeout("commit: " + e.getMessage(), List.of()), req, r);
                } catch (SQLException e) {
                    var error = new VmError(VmError.Kind.EFFECT_FAILED, "commit failed: " + e.getMessage(), List.of());
                    yield SqlFault.of(e) == SqlFault.UNAVAILABLE ? databaseUnavailable(error, req, r) : failure(error, req, r);
                }
                yield reply;
            }
            case Outcome.Failed f -> host.databaseUnavailable() && r.stopped() == null && !r.pastDeadline(System.nanoTime())
                    ? databaseUnavailable(f.error(), req, r) : failure(f.error(), req, r);
            case Outcome.Returned ret -> failure(new VmError(VmError.Kind.INTERNAL, "the handler ended without `respond`",
                    List.of()), req, r);
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
        r.failure(error);
        failures.failed(r.id(), req.method(), req.rawPath(), error);
        String detail = options.dev() ? error.message()
                : "the database is unavailable; nothing was changed, retry shortly (see the server log for request " + r.id() + ")";
        return Problem.of("database-unavailable", "Service Unavailable", 503, detail).withInstance(req.rawPath())
                .reply(new Header("Retry-After", "1"));
    }

    /** The handler's response as bytes; headers in the order written, Content-Type by the body unless set. */
    private Reply encode(Response r) {
        if (r.status() < 100 || r.status() > 599) throw new IllegalStateException("status " + r.status() + " is not an HTTP status");
        var headers = new ArrayList<Header>();
        boolean typed = false;
        for (Response.Header h : r.headers()) {
            String wrong = Response.Header.problem(h.name(), h.value()); // the VM checks too: never a bad header on the wire
            if (wrong != null) throw new IllegalStateException(wrong);
            typed |= h.name().equalsIgnoreCase("Content-Type");
            headers.add(new Header(h.name(), h.value()));
        }
        byte[] body = switch (r.body()) {
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

package dev.manaknight.runtime;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.StepBound;
import dev.manaknight.lang.types.Capability;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.effects.Database;
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
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-neutral request path (RUNTIME.md §3) that HTTP, FastCGI and CGI all call:
 * route → validate → a new VM with exactly the declared capabilities → encode → commit or roll
 * back → one access-log line. {@link #handle} never throws; it is safe to call from many threads.
 */
public final class RequestCore implements AutoCloseable {
    /**
     * @param bodyLimit bytes; a larger body is a 413 (transports usually stop it earlier)
     * @param timeout   wall clock per request, effects included
     * @param dev       failure details and Manaknight stacks in 500 bodies
     * @param openApi   the app's OpenAPI document served at `GET /openapi.json` when no route
     *                  has that path, or null when `server.openapi` is off
     */
    public record Options(long bodyLimit, Duration timeout, boolean dev, byte[] openApi) {
        public Options(long bodyLimit, Duration timeout, boolean dev) {
            this(bodyLimit, timeout, dev, null);
        }
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

    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    private final Module module;
    private final HandlerExecutor executor;
    private final Database db;
    private final Options options;
    private final AccessLog accessLog;
    private final Router router;
    private final TypeTable types;
    private final InputDecoder inputs;
    private final JsonEncoder encoder;
    private final QueryCatalog queries;
    private final ResultMapper mapper;
    /** By function index: the handler is short and pure enough to run inline. */
    private final boolean[] inline;
    private final Deadlines deadlines = new Deadlines();
    private final AtomicLong ids = new AtomicLong();
    private final String idPrefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);

    /** @param db null when the app has no database */
    public RequestCore(Module module, HandlerExecutor executor, Database db, Options options, AccessLog accessLog) {
        this.module = module;
        this.executor = executor;
        this.db = db;
        this.options = options;
        this.accessLog = accessLog;
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

    /** The core for a program with real VMs. */
    public static RequestCore create(Program program, HandlerExecutor executor, Database db, Options options, AccessLog log) {
        return new RequestCore(program.module(), executor, db, options, log);
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

    /**
     * A reply a transport decided on without running the request (overload, a body past the
     * limit while reading): the problem with its extra headers, `X-Request-Id`, and an access-log line.
     */
    public Reply refuse(Request req, Problem problem, Header... extra) {
        String id = nextId();
        var headers = new ArrayList<>(problem.withInstance(req.rawPath()).reply(extra).headers());
        headers.add(new Header("X-Request-Id", id));
        Reply reply = new Reply(problem.status(), headers, problem.withInstance(req.rawPath()).toJson());
        accessLog.record(new AccessEntry(id, req.method(), req.rawPath(), req.query(), null, reply.status(), 0, 0, 0, 0, null));
        return reply;
    }

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

    private String nextId() { return idPrefix + "-" + Long.toString(ids.incrementAndGet(), 36); }

    public Reply handle(Request req) {
        return handle(req, router.match(req.method(), req.rawPath()));
    }

    /** {@link #handle(Request)} with the route {@link #dispatch} found. */
    public Reply handle(Dispatch d) {
        return handle(d.request(), d.match());
    }

    private Reply handle(Request req, RouteMatch match) {
        long start = System.nanoTime();
        String id = nextId();
        var stats = new Stats();
        Reply reply;
        try {
            reply = route(match, req, id, stats);
        } catch (RuntimeException | Error e) {
            LOG.error("[{}] internal error on {} {}", id, req.method(), req.rawPath(), e);
            reply = Problem.of("internal", "Internal Server Error", 500, "internal error; see the server log for request " + id)
                    .withInstance(req.rawPath()).reply();
        }
        var headers = new ArrayList<>(reply.headers());
        headers.add(new Header("X-Request-Id", id));
        reply = new Reply(reply.status(), headers, reply.body());
        accessLog.record(new AccessEntry(id, req.method(), req.rawPath(), req.query(), stats.route, reply.status(),
                (System.nanoTime() - start) / 1000, stats.fuel, stats.memory, stats.effects, stats.failure));
        return reply;
    }

    private Reply route(RouteMatch match, Request req, String id, Stats stats) {
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
                stats.route = f.route().method() + " " + f.route().path();
                Reply r = run(f.route(), f, req, id, stats);
                yield f.head() ? headOf(r) : r;
            }
        };
    }

    private Reply run(Route route, RouteMatch.Found found, Request req, String id, Stats stats) {
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
        Transaction tx = db == null ? null : new Transaction(db);
        var host = new RequestHost(id, route.capabilities(), tx, queries, mapper, LOG, System::currentTimeMillis,
                ThreadLocalRandom.current());
        try {
            HandlerExecutor.Run vm = executor.start(host, route.capabilities());
            Outcome outcome;
            Deadlines.Entry timeout = deadlines.watch(options.timeout(), () -> {
                vm.cancel();
                host.cancel();
            });
            try {
                outcome = vm.invoke(route.handler(), args);
                // A query cancelled by the timeout fails as an effect; the cause is the clock.
                if (timeout.expired() && outcome instanceof Outcome.Failed f && f.error().kind() != VmError.Kind.TIMEOUT)
                    outcome = new Outcome.Failed(new VmError(VmError.Kind.TIMEOUT, "the request ran past its "
                            + options.timeout().toMillis() + "ms wall-clock limit (" + f.error().message() + ")", f.error().stack()));
            } finally {
                deadlines.done(timeout);
                stats.fuel = vm.fuelUsed();
                stats.memory = vm.memoryUsed();
                stats.effects = host.callCount();
            }
            return finish(outcome, tx, req, id, stats);
        } finally {
            if (tx != null) tx.rollback(); // no-op after a commit; otherwise nothing is left open
        }
    }

    private Reply finish(Outcome outcome, Transaction tx, Request req, String id, Stats stats) {
        return switch (outcome) {
            case Outcome.Responded r -> {
                Reply reply;
                try {
                    reply = encode(r.response());
                } catch (RuntimeException e) {
                    yield failure(new VmError(VmError.Kind.INTERNAL, "the response cannot be encoded: " + e.getMessage(),
                            List.of()), req, id, stats);
                }
                if (reply.status() >= 500 || tx == null) yield reply;
                try {
                    tx.commit();
                } catch (SQLException e) {
                    yield failure(new VmError(VmError.Kind.EFFECT_FAILED, "commit failed: " + e.getMessage(), List.of()),
                            req, id, stats);
                }
                yield reply;
            }
            case Outcome.Failed f -> failure(f.error(), req, id, stats);
            case Outcome.Returned ret -> failure(new VmError(VmError.Kind.INTERNAL, "the handler ended without `respond`",
                    List.of()), req, id, stats);
        };
    }

    private Reply failure(VmError error, Request req, String id, Stats stats) {
        stats.failure = error;
        LOG.error("[{}] {} {} failed: {}", id, req.method(), req.rawPath(), error.render());
        String detail = options.dev() ? error.message() : "the request failed (" + error.kind().slug + "); see the server log for request " + id;
        List<String> stack = options.dev() ? error.stack().stream().map(VmError.StackFrame::toString).toList() : List.of();
        return new Problem(error.kind().slug, "Internal Server Error", 500, detail, req.rawPath(), List.of(), stack).reply();
    }

    /** The handler's response as bytes; headers in the order written, Content-Type by the body unless set. */
    private Reply encode(Response r) {
        if (r.status() < 100 || r.status() > 599) throw new IllegalStateException("status " + r.status() + " is not an HTTP status");
        var headers = new ArrayList<Header>();
        boolean typed = false;
        for (Response.Header h : r.headers()) {
            if (h.name().indexOf('\r') >= 0 || h.name().indexOf('\n') >= 0 || h.value().indexOf('\r') >= 0
                    || h.value().indexOf('\n') >= 0)
                throw new IllegalStateException("header `" + h.name() + "` contains a line break");
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

    /** Stops the deadline sweeper, flushes the logs and closes the database; idempotent. */
    @Override public void close() {
        deadlines.close();
        accessLog.close();
        if (db != null) db.close();
    }

    /** What the access log needs from a request's run. */
    private static final class Stats {
        String route;
        long fuel;
        long memory;
        int effects;
        VmError failure;
    }
}

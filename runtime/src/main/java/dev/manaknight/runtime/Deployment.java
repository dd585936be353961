package dev.manaknight.runtime;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.EffectSources;
import dev.manaknight.runtime.effects.HttpOutbound;
import dev.manaknight.runtime.effects.LazyDatabase;
import dev.manaknight.runtime.effects.PooledDatabase;
import dev.manaknight.runtime.effects.Schema;
import dev.manaknight.runtime.effects.SingleConnectionDatabase;
import dev.manaknight.runtime.effects.StartupWait;
import dev.manaknight.runtime.journal.Journal;
import dev.manaknight.runtime.journal.SegmentFiles;
import dev.manaknight.runtime.journal.JournalDigest;
import dev.manaknight.runtime.journal.JournalRecord;
import dev.manaknight.runtime.openapi.OpenApi;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one composition root of the request path: a loaded program and a configuration made into
 * everything a transport needs. It owns the database (a pool opened and its schema applied at
 * start, or opened at the first query for CGI), the warm-up, the OpenAPI document, the access
 * log and the slow log, the VM executor, the admission of requests to workers, the
 * {@link Watchdog} that holds every request to its deadline, and every reply a transport makes
 * without running a handler ({@link #refuse}). `serve`, `fpm` and `cgi` are codecs around it:
 * bytes in to a {@link Request}, {@link #submit} (or {@link #handle}), a {@link Reply} out to
 * bytes. Every reply, refused or run, carries `X-Request-Id` and gets one access-log line.
 */
public final class Deployment implements AutoCloseable {
    /** How the deployment is used, which decides its database policy, logs and warm-up. */
    public enum Mode {
        /** A long-lived server: a pooled database opened and checked at start, a warm-up before the first request. */
        SERVER,
        /** One request per process: the database is opened at the first query, logs on stderr (stdout is the reply). */
        CGI,
        /** `manaknight test` and in-process tests: a database given by the caller, no logs. */
        TEST
    }

    /**
     * What the caller decides beyond the configuration.
     *
     * @param admission shared by a server's successive deployments (a reload); null: one of its own
     * @param observer  the status page's view of each request
     * @param executor  null: real VMs; tests substitute a fake
     * @param database  {@link Mode#TEST} only: the database to use (null: none)
     * @param stderr    where `stderr` (and for CGI `stdout`) logs go
     * @param training  CGI only: also run the warm-up (the AOT-cache training run)
     * @param sources   `clock` and `random`: the world's, or fixed for a test ({@link EffectSources#fixed})
     * @param journalFiles how the journal's segment files are made ({@link SegmentFiles#DISK})
     */
    public record Setup(Mode mode, Admission admission, RequestObserver observer, HandlerExecutor executor, Database database,
                        PrintStream stderr, boolean training, AccessLog accessLog, Logger log, EffectSources sources,
                        SegmentFiles journalFiles) {
        public static Setup server(Admission admission, RequestObserver observer) {
            return new Setup(Mode.SERVER, admission, observer, null, null, System.err, false, null, null, EffectSources.real(), SegmentFiles.DISK);
        }

        public static Setup server() { return server(null, RequestObserver.NONE); }

        public static Setup cgi(PrintStream stderr, boolean training) {
            return new Setup(Mode.CGI, null, RequestObserver.NONE, null, null, stderr, training, null, null,
                    EffectSources.real(), SegmentFiles.DISK);
        }

        public static Setup test(Database database) {
            return new Setup(Mode.TEST, null, RequestObserver.NONE, null, database, System.err, false, null, null,
                    EffectSources.real(), SegmentFiles.DISK);
        }

        /** The same set-up with another executor (tests' fakes). */
        public Setup withExecutor(HandlerExecutor e) {
            return new Setup(mode, admission, observer, e, database, stderr, training, accessLog, log, sources, journalFiles);
        }

        /** The same set-up with its access-log lines going to `log` instead of `log.access` (tests). */
        public Setup withAccessLog(AccessLog l) {
            return new Setup(mode, admission, observer, executor, database, stderr, training, l, log, sources, journalFiles);
        }

        /** The same set-up with these clock and random sources (a test's, shared with its own VM). */
        public Setup withSources(EffectSources s) {
            return new Setup(mode, admission, observer, executor, database, stderr, training, accessLog, log, s, journalFiles);
        }

        /** The same set-up with the server log (handlers' `log`, failures) going to `l` (`manaknight test` captures it). */
        public Setup withLog(Logger l) {
            return new Setup(mode, admission, observer, executor, database, stderr, training, accessLog, l, sources, journalFiles);
        }
    }

    /** Cancels of running queries that may run at once. */
    static final int CANCEL_THREADS = 4;

    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    private final Program program;
    private final Config config;
    private final Mode mode;
    private final RequestCore core;
    private final Database db;
    private final Admission admission;
    private final RequestObserver observer;
    private final AccessLog accessLog;
    private final SlowLog slowLog;
    private final FailureLog failures;
    private final Watchdog watchdog;
    /**
     * Where running queries are cancelled: a few platform threads, since a driver's cancel may
     * block (a frozen PostgreSQL) and a native query may pin every carrier a virtual thread would
     * need. Past {@link #CANCEL_THREADS} stuck cancels, later ones queue.
     */
    private final java.util.concurrent.ThreadPoolExecutor cancels;
    private final long timeoutNanos;
    /** The network client of `http.send`, owned here (closed with the deployment); null when the app has no `http`. */
    private final HttpOutbound outbound;
    /** Request ids' prefix: the journal's instance name when it is on (unique across instances), else a short random one. */
    private final String idPrefix;
    /** The request journal, or null when `[journal]` is off. */
    private final Journal journal;
    /** Audit mode with a database: the records of changes kept in it until the journal's file holds them; else null. */
    private final PendingRecords pending;
    /** Their upkeep, once opened ({@link #open}); else null. */
    private PendingSweep sweep;
    /** SHA-256 of the module and of the configuration, for journal records. */
    private final String programDigest;
    private final String configDigest;
    private final AtomicLong ids = new AtomicLong();
    /** Requests submitted and not yet finished on this deployment (a reload retires it once they are done). */
    private final AtomicInteger inside = new AtomicInteger();
    private volatile boolean retired;

    private Deployment(Program program, Config config, Setup setup, Database db, AccessLog accessLog, Journal journal,
                       RequestCore.Hosts hosts) {
        this.program = program;
        this.journal = journal;
        this.idPrefix = journal != null ? journal.instance()
                : Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
        this.programDigest = journal != null ? JournalDigest.of(program.module()) : null;
        this.configDigest = journal != null ? JournalDigest.of(config) : null;
        this.config = config;
        this.mode = setup.mode();
        this.db = db;
        this.accessLog = accessLog;
        this.observer = setup.observer();
        this.admission = setup.admission() != null ? setup.admission()
                : setup.mode() == Mode.CGI ? new Admission(1, 0) : new Admission(config.server().workers(), config.server().queue());
        Logger log = setup.log() != null ? setup.log() : LOG;
        this.failures = new FailureLog(log);
        this.slowLog = setup.mode() == Mode.TEST ? new SlowLog(null, Duration.ZERO, observer)
                : new SlowLog(config.log().slowlog(), config.log().slowlogTimeout(), observer);
        this.timeoutNanos = config.limits().timeout().toNanos();
        byte[] openApi = config.server().openapi()
                ? OpenApi.render(program.module(), title(config.app())).getBytes(StandardCharsets.UTF_8) : null;
        var options = new RequestCore.Options(config.limits().body(), config.limits().timeout(), config.log().dev(), openApi,
                config.limits().memory(), config.db().retries());
        HandlerExecutor executor = setup.executor() != null ? setup.executor() : new VmExecutor(program, config.limits().vm());
        // The network only for an app that declares `http` somewhere; a test's sources bring its stubs.
        this.outbound = setup.sources().outbound() != null || !usesHttp(program.module()) ? null : HttpOutbound.of(config.http());
        var sources = outbound == null ? setup.sources()
                : new EffectSources(setup.sources().clock(), setup.sources().random(), outbound);
        this.pending = journal != null && journal.durable() && db != null ? new PendingRecords() : null;
        var gate = pending != null ? new AuditGate(journal, pending, (r, reply) -> record(r, reply), log) : null;
        this.core = new RequestCore(program.module(), executor, db, options, failures, log, sources, hosts, gate);
        this.watchdog = new Watchdog(slowLog, this::hardStop);
        this.cancels = new java.util.concurrent.ThreadPoolExecutor(CANCEL_THREADS, CANCEL_THREADS, 30,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(4096),
                Thread.ofPlatform().daemon().name("manaknight-cancel").factory());
        cancels.allowCoreThreadTimeOut(true);
    }

    /**
     * Opens what the program needs under this configuration: for a server, the database pool with
     * its schema applied when the database is empty, then the warm-up (so the first request does
     * not pay class loading). Fails without leaving anything open.
     */
    public static Deployment open(Program program, Config config, Setup setup) throws IOException, SQLException {
        AccessLog log = setup.accessLog() != null ? setup.accessLog() : setup.mode() == Mode.TEST ? AccessLog.NONE
                : new AccessLogFile(config.log().access(), setup.mode() == Mode.CGI ? setup.stderr() : System.out, setup.stderr());
        Database db = null;
        Journal journal = null;
        try {
            boolean needsDb = RequestCore.usesDatabase(program.module());
            db = switch (setup.mode()) {
                // A PostgreSQL out of reach is waited for (db.startup_wait), before anything listens.
                case SERVER -> needsDb ? StartupWait.open(config.db().url(), config.db().startupWait(),
                        () -> Schema.prepare(PooledDatabase.open(config.db().url(), config.db().pool(),
                                config.limits().timeout(), config.server().workers(), config.db().isolation(),
                                config.db().connectTimeout()), config.db().schema(), config.db().migrations(),
                                PooledDatabase.describe(config.db().url()))) : null;
                case CGI -> needsDb ? new LazyDatabase(() -> SingleConnectionDatabase.open(config.db().url(),
                        config.limits().timeout(), config.db().connectTimeout(), config.db().schema(),
                        config.db().migrations())) : null;
                case TEST -> setup.database();
            };
            if (config.journal().on())
                journal = Journal.open(config.journal(), config.settings().secretTexts(program.module()),
                        setup.journalFiles(), setup.log() != null ? setup.log() : LOG);
            var d = new Deployment(program, config, setup, db, log, journal, null);
            if (d.pending != null) d.sweep = PendingSweep.start(db, d.pending, journal, config.journal().recoverAfter(),
                    setup.log() != null ? setup.log() : LOG, setup.mode() == Mode.SERVER);
            if (setup.mode() == Mode.SERVER || setup.training()) Warmup.run(program.module(), db);
            return d;
        } catch (IOException | SQLException | RuntimeException e) {
            if (db != null && setup.mode() != Mode.TEST) db.close();
            if (journal != null) journal.close();
            log.close();
            throw e;
        }
    }

    /**
     * A deployment that replays journal records (`manaknight replay`): no database, no journal, no
     * logs; each run's host comes from `hosts`, and {@link #handle(Request, String)} gives each
     * request its recorded id.
     */
    public static Deployment replaying(Program program, Config config, RequestCore.Hosts hosts, Logger log) {
        Config noJournal = new Config(config.source(), config.app(), config.server(), config.limits(), config.db(), config.log(),
                config.http(), Config.Journal.OFF);
        return new Deployment(program, noJournal, Setup.test(null).withLog(log), null, AccessLog.NONE, null, hosts);
    }

    /** The OpenAPI title: the app directory's name, or the module file's without `.mkb`. */
    static String title(Path app) {
        if (app == null || app.toAbsolutePath().normalize().getFileName() == null) return "app";
        String name = app.toAbsolutePath().normalize().getFileName().toString();
        return name.endsWith(".mkb") ? name.substring(0, name.length() - 4) : name;
    }

    /**
     * What is wrong with a config in this process but does not stop it: the heap cannot hold what
     * the config admits ({@link HeapBudget}), or `max_connections` is beyond the file-descriptor
     * limit ({@link ConnectionLimit}). Servers log them at start; `fpm -t` prints them.
     */
    public static List<String> warnings(Config config) {
        return java.util.stream.Stream.of(HeapBudget.shortfall(config, Runtime.getRuntime().maxMemory()),
                ConnectionLimit.shortfall(config), bodyPastMemory(config)).flatMap(java.util.Optional::stream).toList();
    }

    /**
     * A body near `limits.body` cannot be decoded within `limits.memory` (its raw bytes and its
     * decoded text are both charged): such requests would be answered 413 however small the
     * handler. Three times the body is what a text body needs; a limit below that is said at start.
     */
    static java.util.Optional<String> bodyPastMemory(Config config) {
        long body = config.limits().body(), memory = config.limits().memory();
        if (body <= memory / 3) return java.util.Optional.empty();
        return java.util.Optional.of("limits.body (" + (body >> 10) + " KB) is more than a third of limits.memory ("
                + (memory >> 10) + " KB): a body's raw bytes and its decoded inputs are both charged to the request's memory,"
                + " so bodies near the limit would be answered 413; raise limits.memory to at least " + (3 * body >> 10)
                + " KB or lower limits.body");
    }

    public Program program() { return program; }

    public Module module() { return program.module(); }

    public Config config() { return config; }

    public Admission admission() { return admission; }

    /** The request core (tests and `manaknight test` reach its encoder and types). */
    public RequestCore core() { return core; }

    // ---- requests --------------------------------------------------------------------------

    /**
     * Takes a request from a transport: routes it, admits it (past `workers` + `queue`: a 503),
     * and runs it — on the calling thread when `mayRunHere`, the request may run inline
     * ({@link RequestCore#dispatch}) and a worker is free at once; else on a virtual thread.
     * `deliver` receives the request once its one reply ({@link InFlight#reply}, with
     * `X-Request-Id`) is decided, exactly once, on the thread that decided it (the caller's, for a refusal or an inline run). At the latest it comes at
     * `limits.timeout` + {@link Watchdog#HARD_MARGIN}.
     *
     * @return the request's handle, through which the transport can stop it; null when this
     *         deployment is retired (a reload came between: submit to its successor)
     */
    public InFlight submit(Request req, boolean mayRunHere, Consumer<InFlight> deliver) {
        return submit(req, mayRunHere, deliver, null);
    }

    /** @param id the request's id, or null for a new one */
    private InFlight submit(Request req, boolean mayRunHere, Consumer<InFlight> deliver, String id) {
        if (!enter()) return null;
        Dispatch d = core.dispatch(req);
        InFlight r = begin(req, deliver, id);
        if (!admission.tryAdmit()) {
            exit();
            r.markRejected();
            observer.rejected(r);
            r.complete(problem(req, new Refusal.Overloaded()));
            return r;
        }
        r.admitted();
        observer.queued(r);
        watchdog.watch(r);
        // Audit mode waits for the disk before it answers: never on the transport's I/O thread.
        if (mayRunHere && d.inline() && (journal == null || !journal.durable()) && admission.tryStartRun()) {
            try {
                runAdmitted(d, r);
            } catch (RuntimeException | Error e) {
                internal(r, e);
            } finally {
                admission.finishRun();
                if (r.letGo()) leave();
            }
            return r;
        }
        Thread.ofVirtual().name("manaknight-request").start(() -> {
            try {
                admission.startRun();
                r.holdWorker();
                try {
                    runAdmitted(d, r);
                } finally {
                    releaseWorker(r);
                }
            } catch (InterruptedException e) {
                r.complete(problem(req, new Refusal.Overloaded()));
            } catch (RuntimeException | Error e) {
                internal(r, e);
            } finally {
                if (r.letGo()) leave();
            }
        });
        return r;
    }

    /**
     * {@link #submit} on the calling thread's behalf: waits for the reply (CGI, `manaknight
     * test`'s requests, warm-up). The handler runs on a virtual thread, so the watchdog's hard
     * deadline holds here too.
     */
    public Reply handle(Request req) {
        var reply = new CompletableFuture<Reply>();
        InFlight r = submit(req, false, done -> reply.complete(done.reply()));
        if (r == null) return refuse(req, new Refusal.Overloaded());
        return reply.join();
    }

    /**
     * {@link #handle} under the id a journal recorded (replay): the request once answered, its
     * reply and failure in it; null when this deployment is retired.
     */
    public InFlight replay(Request req, String id) {
        var done = new CompletableFuture<InFlight>();
        if (submit(req, false, done::complete, id) == null) return null;
        return done.join();
    }

    private InFlight begin(Request req, Consumer<InFlight> deliver) { return begin(req, deliver, null); }

    private InFlight begin(Request req, Consumer<InFlight> deliver, String given) {
        String id = given != null ? given : idPrefix + "-" + Long.toString(ids.incrementAndGet(), 36);
        var r = new InFlight(id, req, System.nanoTime(), timeoutNanos, (f, reply) -> completed(f, reply, deliver), cancels);
        if (journal != null) r.keepAttempts();
        return r;
    }

    /** On the worker: the core's run, unless the request was answered meanwhile (it waited past its deadline). */
    private void runAdmitted(Dispatch d, InFlight r) {
        if (r.replied()) return;
        r.markStarted();
        observer.started(r);
        try {
            r.complete(core.handle(d, r));
        } finally {
            observer.finished(r);
        }
    }

    private void internal(InFlight r, Throwable e) {
        Request req = r.request();
        failures.internal(r.id(), req.method(), req.rawPath(), e);
        r.complete(problem(req, new Refusal.Internal()));
    }

    /**
     * The watchdog's answer to a request that did not stop by itself within the margin after its
     * deadline: 503 when it never got a worker (it waited its whole time in the queue), else a 500
     * `timeout`. The request's own reply, if it ever comes, is dropped.
     */
    private void hardStop(InFlight r) {
        Request req = r.request();
        long ms = timeoutNanos / 1_000_000;
        Reply reply;
        if (!r.started()) {
            reply = Problem.of("overloaded", "Service Unavailable", 503, "no worker was free within limits.timeout ("
                    + ms + " ms); retry shortly").withInstance(req.rawPath()).reply(new Header("Retry-After", "1"));
        } else {
            var error = new VmError(VmError.Kind.TIMEOUT, "the request ran past its " + ms + "ms wall-clock limit and did not "
                    + "stop within " + Watchdog.HARD_MARGIN.toMillis() + " ms; answered without it", List.of());
            r.failure(error);
            failures.failed(r.id(), req.method(), req.rawPath(), error);
            String detail = config.log().dev() ? error.message()
                    : "the request failed (timeout); see the server log for request " + r.id();
            reply = new Problem("timeout", "Internal Server Error", 500, detail, req.rawPath(), List.of(), List.of()).reply();
        }
        r.complete(reply);
    }

    /**
     * The one reply of a request: in audit mode once its record is durable, then its access-log
     * line, its slow-log entry, the transport. A reply that waits for the disk waits on the journal's
     * writer, not on a thread: the writer's fsync delivers it.
     */
    private void completed(InFlight r, Reply reply, Consumer<InFlight> deliver) {
        CompletableFuture<Void> durable = null;
        boolean record = false;
        // Audit mode committed a committed request's record with its change (AuditGate): nothing to wait for.
        if (journal != null && r.started() && !r.isJournaledAtCommit()) {
            durable = journal.append(record(r, reply)); // null in the default mode
            record = true;
        }
        if (durable == null) {
            finish(r, reply, deliver);
            return;
        }
        // The VM is done and the request holds no connection: waiting for the disk is not work, so
        // its worker runs the next request meanwhile, whose record can then share this fsync.
        // (Eight workers each waiting out an fsync were the whole of audit mode's throughput.)
        releaseWorker(r);
        boolean recorded = record;
        durable.whenComplete((v, e) -> finish(r, e == null || !recorded ? reply : unrecorded(r, e), deliver));
    }

    /**
     * Audit mode: the request's record could not be made durable (the disk full, the writer stuck):
     * it is answered 503 instead, never unrecorded. Nothing it wrote was committed: a commit that
     * wrote waits for its record first (AuditGate), so a request recorded here changed nothing.
     */
    private Reply unrecorded(InFlight r, Throwable e) {
        Request req = r.request();
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        failures.internal(r.id(), req.method(), req.rawPath(), cause);
        Reply refused = r.withId(RequestCore.journalUnavailable(req.rawPath(), r.id()));
        r.replaceReply(refused);
        return refused;
    }

    /** Logs and delivers the reply; the request leaves the deployment once its thread is done too. */
    private void finish(InFlight r, Reply reply, Consumer<InFlight> deliver) {
        long now = System.nanoTime();
        Request req = r.request();
        // nginx's convention: 499 for a request whose client closed the connection before the answer.
        int status = r.stopped() == InFlight.Stop.CLIENT_GONE ? 499 : reply.status();
        try {
            accessLog.record(new AccessEntry(r.id(), req.method(), req.rawPath(), req.query(), r.route(), status,
                    (now - r.startNanos()) / 1000, r.fuel(), r.memory(), r.effects(), r.failure()));
            slowLog.ended(r, status, now);
            observer.completed(r, status, (now - r.startNanos()) / 1000);
        } finally {
            try {
                watchdog.done(r);
                deliver.accept(r);
            } finally {
                if (r.letGo()) leave();
            }
        }
    }

    /** Gives back the request's worker, when the calling thread holds it. */
    private void releaseWorker(InFlight r) {
        if (r.releaseWorker()) admission.finishRun();
    }

    /** The request's record, answering `reply` (X-Request-Id included). */
    private JournalRecord record(InFlight r, Reply reply) {
        long micros = (System.nanoTime() - r.startNanos()) / 1000;
        VmError failure = r.failure();
        return new JournalRecord(r.id(), Instant.now().minus(micros, ChronoUnit.MICROS), programDigest, configDigest,
                r.request(), r.route(), r.attempts(), reply, r.fuel(), r.memory(), micros,
                failure == null ? null : failure.kind().slug + ": " + failure.message(),
                r.stopped() == null ? null : r.stopped().name(), 0);
    }

    /** The request journal, or null when off (status pages and metrics count its records). */
    public Journal journal() { return journal; }

    // ---- refusals --------------------------------------------------------------------------

    /**
     * A reply the transport decided on without running a handler, as every transport answers it:
     * the problem document with `instance`, `X-Request-Id`, and an access-log line. The transport
     * adds what its protocol needs (`Connection: close`).
     */
    public Reply refuse(Request req, Refusal why) {
        InFlight r = begin(req, done -> {});
        if (why instanceof Refusal.Overloaded || why instanceof Refusal.TooManyConnections
                || why instanceof Refusal.BodiesOverBudget) observer.rejected(r);
        r.complete(problem(req, why));
        return r.reply();
    }

    /** A fault of the transport's own while it handled `req`: logged (bounded), answered 500. */
    public Reply internalError(Request req, Throwable cause) {
        InFlight r = begin(req, done -> {});
        failures.internal(r.id(), req.method(), req.rawPath(), cause);
        r.complete(problem(req, new Refusal.Internal()));
        return r.reply();
    }

    private static Reply problem(Request req, Refusal why) {
        String instance = req.rawPath().isEmpty() ? null : req.rawPath(); // a request that was never read
        return why.problem().withInstance(instance).reply(why.headers().toArray(Header[]::new));
    }

    // ---- life cycle ------------------------------------------------------------------------

    private boolean enter() {
        inside.incrementAndGet();
        if (!retired) return true;
        inside.decrementAndGet();
        return false;
    }

    private void exit() { inside.decrementAndGet(); }

    private void leave() {
        exit();
        admission.leave();
    }

    /** Requests submitted to this deployment and not yet finished. */
    public int inside() { return inside.get(); }

    /** Stops every request in flight (their VMs end at their next check; see {@link InFlight#stop}). */
    public void stopAll(InFlight.Stop why) { watchdog.stopAll(why); }

    /**
     * After a reload: takes no new request, waits at most `timeout` for those inside, stops any
     * still running, and closes.
     *
     * @return true when every request finished in time
     */
    public boolean retire(Duration timeout) throws InterruptedException {
        retired = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inside.get() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        boolean drained = inside.get() == 0;
        if (!drained) stopAll(InFlight.Stop.DRAIN);
        close();
        return drained;
    }

    /** Opens the log files again (SIGUSR1 after logrotate). */
    public void reopenLogs() throws IOException {
        if (journal != null) journal.reopen();
        accessLog.reopen();
        slowLog.reopen();
    }

    /** Failure lines held back by the log's rate limit so far. */
    public long failuresNotLogged() { return failures.dropped(); }

    /** Stops the watchdog, flushes the logs and closes the database; idempotent. */
    @Override public void close() {
        watchdog.close();
        cancels.shutdown();
        accessLog.close();
        slowLog.close();
        if (journal != null) journal.close();
        if (sweep != null) sweep.close(); // after the journal: the rows of the last records it wrote go
        if (db != null && mode != Mode.TEST) db.close();
        if (outbound != null) outbound.close();
    }

    /** True when some handler or function of the module declares `uses { http }`. */
    static boolean usesHttp(dev.manaknight.lang.bytecode.Module module) {
        for (var f : module.functions())
            if ((f.capabilities() & dev.manaknight.lang.model.Capability.HTTP.bit()) != 0) return true;
        return false;
    }
}

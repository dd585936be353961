package dev.manaknight.runtime.effects;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.lang.vm.ResponseValue;
import dev.manaknight.lang.vm.Values;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Savepoint;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.slf4j.Logger;

/**
 * The effects of one request: `db` in the request's one transaction, `log`
 * tagged with the request id, `clock`, `random`. Checks the granted capabilities again at each
 * call and records every call and its result for replay.
 */
public class RequestHost implements Host {
    private final String requestId;
    private final int granted;
    private final Transaction transaction;
    private final QueryCatalog queries;
    private final ResultMapper mapper;
    private final Logger log;
    private final LongSupplier clock;
    private final RandomGenerator random;
    private final List<EffectCall> calls = new ArrayList<>();
    private volatile boolean cancelled;
    /** The statement running now on a database thread, for {@link #cancel}. */
    private volatile PreparedStatement running;
    /** Held while a cancel looks at {@link #running}, so it never cancels a statement another request reuses. */
    private final ReentrantLock cancelling = new ReentrantLock();
    private volatile boolean unavailable;
    /** A query lost a race with another transaction ({@link SqlFault#CONFLICT}): the request may run again. */
    private volatile boolean conflict;
    /** An effect that reached outside the request was called: running it again would repeat that. */
    private boolean reachedOutside;
    /** Where `http.send` goes; null when the app's configuration gives it nowhere. */
    private final Outbound outbound;
    /** The request's deadline (System.nanoTime), which an outbound call's wait counts in. */
    private final long deadlineNanos;
    /** Ends an outbound call's wait at {@link #cancel}. */
    private final Outbound.Stop outboundStop = new Outbound.Stop();

    /** @param transaction null when the app has no database */
    public RequestHost(String requestId, int granted, Transaction transaction, QueryCatalog queries, ResultMapper mapper,
                       Logger log, LongSupplier clock, RandomGenerator random) {
        this(requestId, granted, transaction, queries, mapper, log, clock, random, null, Long.MAX_VALUE);
    }

    /**
     * @param outbound      where `http.send` goes (null: nowhere)
     * @param deadlineNanos the request's deadline (System.nanoTime), for the waits of outbound calls
     */
    public RequestHost(String requestId, int granted, Transaction transaction, QueryCatalog queries, ResultMapper mapper,
                       Logger log, LongSupplier clock, RandomGenerator random, Outbound outbound, long deadlineNanos) {
        this.outbound = outbound;
        this.deadlineNanos = deadlineNanos;
        this.requestId = requestId;
        this.granted = granted;
        this.transaction = transaction;
        this.queries = queries;
        this.mapper = mapper;
        this.log = log;
        this.clock = clock;
        this.random = random;
    }

    /** `Json.parse`: no effect (nothing outside is read, nothing recorded), the body reader's work on a handler's text. */
    @Override public Object parseJson(String text) {
        return dev.manaknight.runtime.json.JsonText.parse(text);
    }

    /** `T.fromJson(j)`: no effect either; the body decoder's rules on a handler's Json value. */
    @Override public Object decodeJson(String text, dev.manaknight.lang.model.Type type, dev.manaknight.lang.bytecode.Module module) {
        return dev.manaknight.runtime.json.JsonText.decode(text, type, module);
    }

    @Override public Object effect(EffectOp op, Object[] args) throws EffectFailure {
        Capability cap = op.capability();
        if ((granted & cap.bit()) == 0)
            throw record(op, args, new EffectFailure("capability", "`" + cap.sourceName() + "` was not declared by this handler"));
        if (cancelled) throw record(op, args, new EffectFailure("timeout", "the request timed out"));
        reachedOutside |= !staysInside(cap);
        try {
            Object result = switch (cap) {
                case DB -> db(op, args);
                case LOG -> log(op, args);
                case CLOCK -> clockOp(op);
                case RANDOM -> randomOp(op, args);
                case PASSWORD -> passwordOp(op, args);
                case HTTP -> httpOp(op, args);
            };
            calls.add(new EffectCall(op.qualifiedName(), Arrays.asList(args), result, null));
            return result;
        } catch (EffectFailure f) {
            throw record(op, args, f);
        }
    }

    private EffectFailure record(EffectOp op, Object[] args, EffectFailure f) {
        calls.add(new EffectCall(op.qualifiedName(), Arrays.asList(args), null, f.kind() + ": " + f.getMessage()));
        return f;
    }

    private Object db(EffectOp op, Object[] args) throws EffectFailure {
        if (transaction == null) throw new EffectFailure("db", "this app has no database configured");
        Query q = queries.query(op);
        Query.Statement expanded = q.parts() == null ? null : q.expand(args); // a list too long fails before any connection
        try {
            Transaction.Work<Object> work = c -> {
                // A query that declares its errors runs in a savepoint: on PostgreSQL a failed
                // statement aborts the transaction, and rolling back to the savepoint is what lets
                // the handler go on; on SQLite it takes back a statement's partial work. Others pay nothing.
                Savepoint savepoint = q.declaresErrors() ? c.setSavepoint() : null;
                Object rows;
                try {
                    rows = statement(c, q, expanded, op, args);
                } catch (SQLException e) {
                    ConstraintViolation v = savepoint == null ? null : ConstraintViolation.of(e);
                    if (v == null) throw e; // not declared: the request fails and rolls back, as before
                    c.rollback(savepoint);
                    c.releaseSavepoint(savepoint);
                    return new Values.Err(mapper.dbError(v));
                }
                if (savepoint == null) return rows;
                c.releaseSavepoint(savepoint);
                return new Values.Ok(rows);
            };
            return q.reads() && !q.declaresErrors() ? transaction.read(work) : transaction.query(work);
        } catch (Transaction.Abandoned e) {
            throw new EffectFailure("timeout", op.qualifiedName() + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            switch (SqlFault.of(e)) {
                case UNAVAILABLE -> unavailable = true;
                case CONFLICT -> conflict = true;
                case STATEMENT -> { }
            }
            throw new EffectFailure("db", op.qualifiedName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Binds, runs and maps one query's statement on `c`: the arguments by the query's bindings, or
     * the `expanded` statement of a query with a List parameter ({@link Query#expand}).
     */
    private Object statement(java.sql.Connection c, Query q, Query.Statement expanded, EffectOp op, Object[] args)
            throws SQLException, EffectFailure {
        String sql = expanded == null ? q.sql() : expanded.sql();
        PreparedStatement ps = transaction.prepare(c, sql);
        try {
            if (expanded == null) {
                for (int i = 0; i < q.bindings().length; i++) {
                    int p = q.bindings()[i];
                    mapper.bind(ps, i + 1, op.params().get(p).type(), args[p]);
                }
            } else {
                for (int i = 0; i < expanded.values().size(); i++)
                    mapper.bind(ps, i + 1, expanded.types().get(i), expanded.values().get(i));
            }
            running = ps;
            try {
                if (cancelled) throw new SQLException("the request was stopped before its query began");
                return mapper.map(q.rows(), ps, ps.execute()); // rows are read (native steps) here too
            } finally {
                cancelling.lock(); // a cancel under way ends before the statement can serve another request
                running = null;
                cancelling.unlock();
            }
        } finally {
            transaction.done(c, sql, ps);
        }
    }

    private Object log(EffectOp op, Object[] args) throws EffectFailure {
        String msg = args.length > 0 ? Values.display(args[0]) : "";
        switch (op.name()) {
            case "info" -> log.info("[{}] {}", requestId, msg);
            case "warn" -> log.warn("[{}] {}", requestId, msg);
            case "error" -> log.error("[{}] {}", requestId, msg);
            default -> throw unknown(op);
        }
        return Values.Unit.UNIT;
    }

    private Object clockOp(EffectOp op) throws EffectFailure {
        if (!op.name().equals("now")) throw unknown(op);
        return Instant.ofEpochMilli(clock.getAsLong());
    }

    /** The most bytes one `random.token(n)` draws. */
    public static final int MAX_TOKEN_BYTES = 1024;

    /**
     * `int(lo, hi)` is inclusive at both ends (a die is `random.int(1, 6)`); `uuid()` a random v4
     * UUID; `uuid7()` a v7 UUID (RFC 9562: the clock's milliseconds, then random bits, so they sort
     * by time); `token(n)` n random bytes in base64url without padding (1 to {@link #MAX_TOKEN_BYTES}).
     */
    private Object randomOp(EffectOp op, Object[] args) throws EffectFailure {
        return switch (op.name()) {
            case "int" -> {
                long lo = (Long) args[0], hi = (Long) args[1];
                if (lo > hi) throw new EffectFailure("random", "random.int(" + lo + ", " + hi + "): lo is greater than hi");
                yield hi == Long.MAX_VALUE ? (lo == Long.MIN_VALUE ? random.nextLong() : random.nextLong(lo - 1, hi) + 1)
                        : random.nextLong(lo, hi + 1);
            }
            case "uuid" -> new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                    (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
            case "uuid7" -> new UUID((clock.getAsLong() & 0xFFFFFFFFFFFFL) << 16 | 0x7000L | (random.nextLong() & 0xFFFL),
                    (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
            case "token" -> {
                long n = (Long) args[0];
                if (n < 1 || n > MAX_TOKEN_BYTES)
                    throw new EffectFailure("random", "random.token(" + n + "): the byte count must be 1 to " + MAX_TOKEN_BYTES);
                byte[] bytes = new byte[(int) n];
                random.nextBytes(bytes);
                yield Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            }
            default -> throw unknown(op);
        };
    }

    /** bcrypt's limit: it reads at most this many bytes of a password, so a longer one is refused, never cut. */
    public static final int MAX_PASSWORD_BYTES = 72;

    /**
     * `hash(password)`: bcrypt (`$2b$`, cost {@link EffectOp#PASSWORD_COST}) with a 16-byte salt
     * from the CSPRNG; `verify(password, hash)`: whether the password is the one hashed (in
     * constant time). A password over {@link #MAX_PASSWORD_BYTES} UTF-8 bytes, or a hash that is no
     * bcrypt hash, fails the effect.
     */
    private Object passwordOp(EffectOp op, Object[] args) throws EffectFailure {
        String password = (String) args[0];
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES)
            throw new EffectFailure("password",
                    op.qualifiedName() + ": the password is longer than " + MAX_PASSWORD_BYTES + " bytes");
        return switch (op.name()) {
            case "hash" -> {
                byte[] salt = new byte[16];
                random.nextBytes(salt);
                yield OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, EffectOp.PASSWORD_COST);
            }
            case "verify" -> {
                try {
                    yield OpenBSDBCrypt.checkPassword((String) args[1], password.toCharArray());
                } catch (RuntimeException e) { // Bouncy Castle's IllegalArgumentException or DataLengthException
                    throw new EffectFailure("password", "password.verify: the stored hash is not a bcrypt hash");
                }
            }
            default -> throw unknown(op);
        };
    }

    /**
     * `send(method, url, headers, body)`: `ok(response)` or `err(message)` for a failure on the
     * way (no answer in time, a refused connection, a body over `http.max_response`); a URL the
     * configuration does not allow, or the request's deadline, fails the request. `stub(…)`: a
     * test's answer for its requests' calls ({@link StubOutbound}).
     */
    private Object httpOp(EffectOp op, Object[] args) throws EffectFailure {
        switch (op.name()) {
            case "send" -> {
                String method = (String) args[0];
                if (!method.matches("[A-Z]{1,16}"))
                    throw new EffectFailure("http", "http.send: `" + method + "` is not a method (GET, POST, …)");
                java.net.URI url;
                try {
                    url = new java.net.URI((String) args[1]);
                } catch (java.net.URISyntaxException e) {
                    throw new EffectFailure(EffectFailure.OUTBOUND_REFUSED, "http.send: `" + args[1] + "` is not a URL: " + e.getReason());
                }
                var m = (Values.MapValue) args[2];
                var headers = new java.util.LinkedHashMap<String, String>();
                for (int i = 0; i < m.size(); i++) headers.put(m.keys()[i], (String) m.values()[i]);
                if (outbound == null) throw new EffectFailure(EffectFailure.OUTBOUND_REFUSED, "http.send: http.allowed_hosts allows no host");
                Outbound.Result r = outbound.send(new Outbound.Call(method, url, headers, (String) args[3]), deadlineNanos,
                        outboundStop);
                return switch (r) {
                    case Outbound.Result.Answer a -> new Values.Ok(ResponseValue.of(new Response(a.status(),
                            new Response.Body.Text(a.body()),
                            a.headers().stream().map(h -> new Response.Header(h.getKey(), h.getValue())).toList())));
                    case Outbound.Result.Failure f -> new Values.Err(f.message());
                };
            }
            case "stub" -> {
                if (!(outbound instanceof StubOutbound stubs))
                    throw new EffectFailure("http", "http.stub: stubs are declared in tests only");
                long status = (Long) args[2];
                if (status < 100 || status > 599)
                    throw new EffectFailure("http", "http.stub: " + status + " is not an HTTP status");
                stubs.stub((String) args[0], (String) args[1], (int) status, (String) args[3]);
                return Values.Unit.UNIT;
            }
            default -> throw unknown(op);
        }
    }

    private static EffectFailure unknown(EffectOp op) {
        return new EffectFailure("effect", "unknown effect operation " + op.qualifiedName());
    }

    /**
     * Stops the request's database work (its deadline, a client gone, a drain): later effects
     * fail, a wait for the database ends now, a running statement is cancelled. Called on a
     * thread of its own: a driver's cancel may block (pgjdbc opens a connection to send it).
     */
    public void cancel() {
        cancelled = true;
        outboundStop.stop();
        if (transaction != null) transaction.stop();
        cancelling.lock();
        try {
            PreparedStatement ps = running;
            if (ps != null) ps.cancel(); // SQLite's statements also end by the transaction's stop (StatementGuard)
        } catch (SQLException ignored) {
            // the query ends on its own; the VM is cancelled anyway
        } finally {
            cancelling.unlock();
        }
    }

    /** True when a query failed because the database was out of reach (the request is answered 503). */
    public boolean databaseUnavailable() { return unavailable; }

    /**
     * True when a query failed because its transaction lost a race with another (a serialization
     * failure, a deadlock, a busy lock): nothing it did is kept, and the request may run again.
     */
    public boolean conflicted() { return conflict; }

    /**
     * True when running the request again cannot repeat anything outside its transaction: every
     * effect so far is the database, the log, or the clock and random a new run asks for afresh.
     * An outbound call (`http`), made or only tried, makes this false.
     */
    public boolean repeatable() { return !reachedOutside; }

    /**
     * Commits the run's transaction: null when it committed, else how it failed (a failed commit
     * has rolled back). A replay's host answers as the record says instead.
     */
    public CommitFault commit(Transaction tx) {
        try {
            tx.commit();
            return null;
        } catch (Transaction.Abandoned e) {
            return new CommitFault(CommitFault.Kind.ABANDONED, e.getMessage());
        } catch (Transaction.OutcomeUnknown e) {
            return new CommitFault(CommitFault.Kind.UNKNOWN, e.getMessage());
        } catch (SQLException e) {
            return CommitFault.of(SqlFault.of(e), e.getMessage());
        }
    }

    /** True when the run has a transaction to commit (a replay's host: when the recorded run had). */
    public boolean transactional(Transaction tx) { return tx != null; }

    /** Whether a call of this capability leaves no trace outside the request and its transaction. */
    public static boolean staysInside(Capability cap) {
        return switch (cap) {
            case DB, LOG, CLOCK, RANDOM -> true; // the transaction rolls back; a log line is repeated, marked by the retry
            case PASSWORD -> true; // a hash only costs CPU again
            case HTTP -> false; // a call was (or may have been) sent: a second run would send it again
        };
    }

    public String requestId() { return requestId; }

    /** Every effect call so far, in order. */
    public List<EffectCall> calls() { return List.copyOf(calls); }

    public int callCount() { return calls.size(); }

    public Transaction transaction() { return transaction; }
}

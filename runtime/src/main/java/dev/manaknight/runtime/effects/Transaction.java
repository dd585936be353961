package dev.manaknight.runtime.effects;

import dev.manaknight.lang.vm.Host.EffectFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A request's one database transaction: begun at its first call, ended by {@link #commit} or
 * {@link #rollback}, the connection given back either way.
 *
 * <p>Every JDBC call — taking the connection, the statements, commit, rollback, giving it back —
 * runs on the database's platform threads ({@link JdbcThreads}), one call at a time, while the
 * request's virtual thread waits for it, holding no carrier, at most until the request's deadline
 * or until it is stopped ({@link #stop}). A wait that ends first abandons the transaction: the
 * call goes on until its statement is interrupted or cancelled, and the connection's clean-up —
 * rolled back and given back, or evicted from the pool when it cannot be trusted — runs right
 * after that call on the call's own database thread: never on the request's thread, never beside
 * the running call. Every later call fails at once with {@link Abandoned}.
 *
 * <p>Some calls run on the caller's thread instead: every call of a database without threads
 * (CGI's one connection, tests); on SQLite, a read's first millisecond, the end of a transaction
 * that only read, and the calls of the one transaction that holds the writer's turn — each
 * cheaper than the hand-over, none able to hold every carrier ({@link StatementGuard}).
 *
 * <p>A failure that says the connection or the database is broken ({@link SqlFault#UNAVAILABLE})
 * makes the connection untrusted: it is evicted instead of given back.
 */
public final class Transaction {
    /** JDBC work on the transaction's connection; it runs on a database thread. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException, EffectFailure;
    }

    /** The request stopped waiting for the database (its deadline passed, or it was stopped); nothing it did is kept. */
    public static final class Abandoned extends SQLException {
        Abandoned(String reason) {
            super(reason);
        }
    }

    /**
     * The database went out of reach after the commit was sent (a PostgreSQL stopped or a
     * connection cut mid-commit): the change may or may not have landed, and nobody can tell
     * until the database is back. Never "nothing was kept".
     */
    public static final class OutcomeUnknown extends SQLException {
        OutcomeUnknown(SQLException cause) {
            super("the connection was lost while the commit was sent, so it may or may not have been made: "
                    + cause.getMessage(), cause.getSQLState(), cause);
        }
    }

    /** How often a wait for the writer's turn looks at the deadline and the stop. */
    private static final long WRITER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Database db;
    private final JdbcThreads threads;
    private final StatementGuard guard;
    private final boolean bounded;
    private final long deadlineNanos;
    /** The request was stopped: a wait ends now, no call starts. */
    private volatile boolean stopped;
    /** The request gave up: a call that has not started yet does not start. */
    private volatile boolean gaveUp;
    /** The request's thread while it waits for a call, for {@link #stop} to wake. */
    private volatile Thread waiter;
    /** What a running SQLite statement's guard asks: stop now? */
    private final BooleanSupplier stopNow = () -> stopped || gaveUp;

    // Used by one call at a time, each on a database thread after the previous one ended.
    private Connection connection;
    private boolean untrusted;

    // The request's thread only.
    private Call<?> last;
    private boolean held;
    private boolean abandoned;
    /** A statement that may write was run: without the writer's turn, every later call and the end go to a database thread. */
    private boolean wrote;
    /**
     * The transaction holds its database's writer's turn ({@link StatementGuard#writer}) until it
     * ends; whoever ends it (this thread, or the clean-up's database thread) gives the turn back.
     */
    private volatile boolean writing;
    /** Take the writer's turn before the first statement, reads included ({@link #writeFromTheStart}). */
    private boolean writeFirst;

    /** A transaction whose calls may take as long as they take (warm-up, `manaknight test`). */
    public Transaction(Database db) {
        this(db, false, 0);
    }

    /** A transaction whose calls are waited for until `deadlineNanos` ({@link System#nanoTime}). */
    public Transaction(Database db, long deadlineNanos) {
        this(db, true, deadlineNanos);
    }

    private Transaction(Database db, boolean bounded, long deadlineNanos) {
        this.db = db;
        this.threads = db.threads();
        this.guard = threads == null ? null : db.statementGuard();
        this.bounded = bounded;
        this.deadlineNanos = deadlineNanos;
    }

    /** Where a call runs. */
    private enum Where {
        /** On a database thread, the request's thread waiting for it. */
        THREAD,
        /**
         * On the request's thread: every call of a database without threads; on SQLite, the
         * calls of the one transaction that holds the writer's turn ({@link StatementGuard#writer}),
         * and the end of a transaction that only read.
         */
        HERE,
        /** On the request's thread, moved to a database thread if it runs long ({@link StatementGuard}). */
        HERE_BRIEFLY
    }

    /**
     * Runs `work` — a statement that may write — with the transaction's connection (taken from the
     * pool at the first call, with auto-commit off) and returns its result: on a database thread,
     * or on SQLite, once the transaction holds the writer's turn, on the calling thread.
     *
     * @throws Abandoned when the deadline passed or the request was stopped before the work ended
     */
    public <T> T query(Work<T> work) throws SQLException, EffectFailure {
        if (threads == null) {
            wrote = true; // on the caller's thread too: audit mode asks it (wrote())
            return call(work, Where.HERE, true);
        }
        if (!writing && guard != null && guard.writer() != null) becomeWriter();
        wrote = true;
        return call(work, writing ? Where.HERE : Where.THREAD, true);
    }

    /**
     * Runs `work` — a statement that only reads ({@link SqlText#readsOnly}) — like {@link #query},
     * except that on SQLite, while the transaction has written nothing, it starts on the calling
     * thread and moves to a database thread only if it runs long ({@link StatementGuard}).
     */
    public <T> T read(Work<T> work) throws SQLException, EffectFailure {
        if (writeFirst && threads != null && !writing && guard != null && guard.writer() != null) becomeWriter();
        if (threads == null || writing) return call(work, Where.HERE, true);
        if (guard == null || wrote) return call(work, Where.THREAD, true);
        try {
            return call(work, Where.HERE_BRIEFLY, true);
        } catch (StatementGuard.TooLong e) {
            return call(work, Where.THREAD, true); // interrupted before it did anything: from the start, elsewhere
        }
    }

    /**
     * On SQLite, makes this transaction take the writer's turn before its first statement, so that
     * no other writer of this server commits between its reads and its writes: its snapshot cannot
     * go stale (`SQLITE_BUSY_SNAPSHOT`). For a request run again after it lost that race: the first
     * run is optimistic (reads beside every writer), the next ones are not. Before the first call
     * only; nothing on PostgreSQL.
     */
    public void writeFromTheStart() { writeFirst = true; }

    /** Takes the connection, then the writer's turn: a writer never waits for a connection while it holds the turn. */
    private void becomeWriter() throws SQLException, EffectFailure {
        if (!held) call(c -> null, Where.HERE, false);
        takeWriterTurn();
    }

    /**
     * Waits for the writer's turn (SQLite has one writer at a time; waiting here, unmounted, costs
     * nothing, where its busy handler would sleep on a pinned carrier), until the deadline or a stop.
     */
    private void takeWriterTurn() throws Abandoned {
        Semaphore writer = guard.writer();
        if (!writer.tryAcquire()) { // free: taken at once, with no hand-over between threads
            try {
                while (!writer.tryAcquire(WRITER_POLL_NANOS, TimeUnit.NANOSECONDS)) {
                    if (stopped || (bounded && System.nanoTime() - deadlineNanos >= 0)) {
                        abandon();
                        throw new Abandoned(reason());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abandon();
                throw new Abandoned(reason());
            }
        }
        writing = true;
    }

    /** Where the end (commit, rollback) runs: here after nothing but reads, or with the writer's turn, on SQLite. */
    private Where ending() {
        return threads == null || writing || (guard != null && !wrote) ? Where.HERE : Where.THREAD;
    }

    /** @param statement the work runs a statement (interrupted when the request stops), not the end of the transaction */
    private <T> T call(Work<T> work, Where where, boolean statement) throws SQLException, EffectFailure {
        if (abandoned) throw new Abandoned(reason());
        if (stopped || (bounded && System.nanoTime() - deadlineNanos >= 0)) {
            abandon();
            throw new Abandoned(reason());
        }
        boolean here = where != Where.THREAD;
        var call = new Call<>(work, here ? null : Thread.currentThread(), statement ? guard : null, where == Where.HERE_BRIEFLY);
        if (here) {
            call.run();
        } else {
            try {
                (held ? threads.holding() : threads.opening()).execute(call);
            } catch (RejectedExecutionException e) {
                throw new SQLException("the database is closed", e);
            }
        }
        last = call;
        await(call);
        held = connection != null; // the call has ended: its writes are visible here
        if (call.failure != null) throw rethrow(call.failure);
        return call.value;
    }

    /** A statement for `sql` on `c` (inside {@link #query} work); give it back with {@link #done}. */
    public PreparedStatement prepare(Connection c, String sql) throws SQLException { return db.prepare(c, sql); }

    /** The statement's use is over (see {@link Database#done}). */
    public void done(Connection c, String sql, PreparedStatement ps) { db.done(c, sql, ps); }

    /**
     * Commits and gives the connection back. A failed commit rolls back (or evicts the
     * connection) before it throws.
     *
     * @throws Abandoned when the deadline passed or the request was stopped first (the commit may
     *                   still land if it was already sent: the one case a client cannot be told)
     */
    public void commit() throws SQLException {
        if (abandoned) throw new Abandoned(reason());
        if (!held) return;
        boolean check = wrote;
        try {
            call(c -> {
                try {
                    if (check) db.beforeCommit(); // its refusal: nothing was sent, nothing kept
                } catch (SQLException e) {
                    note(e);
                    cleanUp();
                    throw e;
                }
                try {
                    c.commit();
                } catch (SQLException e) {
                    note(e);
                    cleanUp();
                    // A conflict or a refused statement is a definite "no"; a lost connection is
                    // not, unless nothing was written: then no outcome can have changed anything.
                    throw check && SqlFault.of(e) == SqlFault.UNAVAILABLE ? new OutcomeUnknown(e) : e;
                }
                end();
                return null;
            }, ending(), false);
        } catch (EffectFailure e) {
            throw new SQLException(e.getMessage(), e); // the commit's work raises none
        }
    }

    /** True once a statement that may write has run: its commit is what makes a change. */
    public boolean wrote() { return wrote; }

    /** Rolls back and gives the connection back; after an abandoned call the clean-up is already arranged. */
    public void rollback() {
        if (abandoned || !held) return;
        try {
            call(c -> {
                cleanUp();
                return null;
            }, ending(), false);
        } catch (SQLException | EffectFailure ignored) {
            // abandoned: the clean-up follows the call; failed: the connection was evicted
        }
    }

    /** The request is stopped (any thread, never blocks): a call being waited for is abandoned now. */
    public void stop() {
        stopped = true;
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w);
    }

    // ---- on a database thread --------------------------------------------------------------

    /**
     * One call: its work, its outcome, and who ends it. The request's thread waits until it is
     * done; a request that stops waiting first marks it abandoned, and then the database thread
     * that ends it also cleans the connection up, right after it.
     */
    private final class Call<T> implements Runnable {
        private static final int RUNNING = 0;
        private static final int DONE = 1;
        private static final int ABANDONED = 2;

        private final Work<T> work;
        /** The request's thread, woken when the call ends; null when the call runs on it. */
        private final Thread requester;
        /** Non-null: the work's statement runs under it. */
        private final StatementGuard guard;
        /** The work runs on the request's thread, for a moment at most. */
        private final boolean briefly;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        // Written before `state` leaves RUNNING, read after.
        private T value;
        private Throwable failure;

        Call(Work<T> work, Thread requester, StatementGuard guard, boolean briefly) {
            this.work = work;
            this.requester = requester;
            this.guard = guard;
            this.briefly = briefly;
        }

        @Override public void run() {
            try {
                if (gaveUp) throw new Abandoned(reason());
                if (connection == null) {
                    take();
                    if (gaveUp) throw new Abandoned(reason()); // it waited for a connection longer than its request did
                }
                value = guard != null ? guard.run(connection, work, stopNow, briefly) : work.run(connection);
            } catch (SQLException e) {
                note(e);
                failure = e;
            } catch (EffectFailure | RuntimeException | Error e) {
                failure = e;
            }
            if (state.compareAndSet(RUNNING, DONE)) {
                if (requester != null) LockSupport.unpark(requester);
            } else {
                cleanUp(); // abandoned while it ran: the connection is this thread's to clean up
            }
        }

        boolean done() { return state.get() == DONE; }

        /** @return true when the call is still running: the thread that ends it cleans up */
        boolean abandon() { return state.compareAndSet(RUNNING, ABANDONED); }
    }

    private void take() throws SQLException {
        Connection c = db.acquire();
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            db.evict(c);
            throw e;
        }
        connection = c;
        untrusted = false;
    }

    private void note(SQLException e) {
        if (SqlFault.of(e) == SqlFault.UNAVAILABLE) untrusted = true;
    }

    /** Rolls back and gives the connection back, or evicts it when it cannot be trusted. */
    private void cleanUp() {
        if (connection == null) return;
        if (!untrusted) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                untrusted = true;
            }
        }
        end();
    }

    /** After a commit or a rollback: auto-commit back on, the connection back to the pool. */
    private void end() {
        Connection c = connection;
        connection = null;
        if (!untrusted) {
            try {
                c.setAutoCommit(true);
            } catch (SQLException e) {
                untrusted = true;
            }
        }
        if (untrusted) db.evict(c);
        else db.release(c);
        untrusted = false;
        if (writing) {
            writing = false;
            guard.writer().release();
        }
    }

    // ---- on the request's thread -----------------------------------------------------------

    /**
     * Waits for `call` until it ends, the request is stopped or (for a bounded transaction) the
     * deadline passes; abandons the transaction if the call has not ended by then.
     */
    private void await(Call<?> call) throws Abandoned {
        if (!call.done()) {
            waiter = Thread.currentThread();
            try {
                while (!call.done() && !stopped) {
                    if (!bounded) {
                        LockSupport.park(this);
                        continue;
                    }
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) break;
                    LockSupport.parkNanos(this, left);
                }
            } finally {
                waiter = null;
            }
        }
        if (!call.done()) {
            abandon();
            throw new Abandoned(reason());
        }
    }

    /** Gives up: the connection's clean-up runs after the last call, on a database thread. */
    private void abandon() {
        if (abandoned) return;
        abandoned = true;
        gaveUp = true;
        if (last != null && last.abandon()) return; // still running: its thread cleans up when it ends
        if (!held) return;
        if (threads == null) {
            cleanUp(); // on the caller's thread, where every call ran: none is running now
            return;
        }
        try {
            threads.holding().execute(this::cleanUp);
        } catch (RejectedExecutionException e) {
            // the database is closing, and closing the pool closes the connection
        }
    }

    private String reason() {
        return stopped ? "the request was stopped while it waited for the database"
                : "the request's deadline passed while it waited for the database";
    }

    private static SQLException rethrow(Throwable t) throws EffectFailure {
        if (t instanceof SQLException e) return e;
        if (t instanceof EffectFailure e) throw e;
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        return new SQLException(t);
    }
}

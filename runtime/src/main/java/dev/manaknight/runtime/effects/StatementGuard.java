package dev.manaknight.runtime.effects;

import dev.manaknight.lang.vm.Host.EffectFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConnection;

/**
 * What lets SQLite calls run on the request's own virtual thread — no hand-over to a database
 * thread and back, which costs more than a short query — without ever holding every carrier.
 *
 * <p>SQLite's progress handler, called by a running statement every {@link #EVERY}
 * virtual-machine instructions (tens of microseconds), interrupts it when
 * <ul>
 * <li>its request was stopped or stopped waiting for it, whatever thread runs it — unlike
 *     `Statement.cancel` (sqlite3_interrupt), which is lost when it comes a moment before the
 *     statement starts;</li>
 * <li>it is a read running on the request's thread and has run {@link #LIMIT_MICROS} µs there:
 *     the {@link Transaction} runs it again, from the start, on a database thread
 *     ({@link JdbcThreads}), where it may take the rest of its deadline. An interrupted read did
 *     nothing, so running it again is the same as running it once.</li>
 * </ul>
 * Writes cannot move (an interrupted write rolls its whole transaction back), and SQLite has one
 * writer at a time anyway: the {@link #writer} turn, taken before a transaction's first write and
 * kept until it ends, lets that one transaction run on its own thread. So at most one carrier is
 * held longer than a millisecond, and only when there are two or more.
 */
public final class StatementGuard {
    /** How long a read may run on the request's thread before it moves to a database thread. */
    static final long LIMIT_MICROS = 1000;
    /** SQLite virtual-machine instructions between two looks. */
    static final int EVERY = 1000;
    /** The virtual threads' carriers (the JDK's default: one per core). */
    static final int CARRIERS = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
            Runtime.getRuntime().availableProcessors());

    /** The read ran past the limit on the request's thread and was interrupted: run it again on a database thread. */
    static final class TooLong extends SQLException {
        TooLong(Throwable cause) {
            super("ran past " + LIMIT_MICROS + " µs on the request's thread", cause);
        }
    }

    /** One physical connection's progress handler; read by the one thread that runs its statement. */
    private static final class Clock extends ProgressHandler {
        private BooleanSupplier stop; // null between statements: a commit or rollback is never interrupted
        private long until; // System.nanoTime; 0: no limit (on a database thread)
        private boolean tripped;

        @Override protected int progress() {
            BooleanSupplier s = stop;
            if (s != null && s.getAsBoolean()) return 1; // SQLITE_INTERRUPT for the running statement
            if (until != 0 && System.nanoTime() - until > 0) {
                tripped = true;
                return 1;
            }
            return 0;
        }
    }

    /**
     * SQLite's one writer at a time, as a turn a transaction takes before its first write and
     * keeps until it ends; while it holds it, its calls run on its own thread. Not fair: a writer
     * that finds the turn free takes it without a hand-over between threads (SQLite's own lock is
     * no fairer; a wait is bounded by the deadline). Null — writes go to the database threads —
     * when the virtual threads have a single carrier, which a long write would hold.
     */
    private final Semaphore writer = CARRIERS >= 2 ? new Semaphore(1) : null;

    private final PerConnection<Clock> clocks = new PerConnection<>(physical -> {
        var clock = new Clock();
        ProgressHandler.setHandler(physical, EVERY, clock);
        return clock;
    });

    /** The writer's turn, or null: writes run on the database threads. */
    Semaphore writer() { return writer; }

    /**
     * Runs `work` on `pooled` (a connection of the pool), interrupting its statement when `stop`
     * says so, and — when `here` — once it ran {@link #LIMIT_MICROS} µs.
     *
     * @throws TooLong when it was interrupted for running long: nothing was done, run it elsewhere
     */
    <T> T run(Connection pooled, Transaction.Work<T> work, BooleanSupplier stop, boolean here)
            throws SQLException, EffectFailure {
        Clock clock = clocks.of(pooled.unwrap(SQLiteConnection.class));
        clock.tripped = false;
        clock.until = here ? System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(LIMIT_MICROS) : 0;
        clock.stop = stop;
        try {
            T result = work.run(pooled);
            if (clock.tripped) throw new TooLong(null); // a step was interrupted and the work went on regardless
            return result;
        } catch (SQLException | EffectFailure | RuntimeException e) {
            if (clock.tripped && !stop.getAsBoolean()) throw new TooLong(e);
            throw e;
        } finally {
            clock.stop = null;
            clock.until = 0;
        }
    }
}

package dev.manaknight.runtime.effects;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform threads that make the JDBC calls of a pooled database, so that no request's
 * virtual thread holds a carrier while the driver works: a native SQLite `step` pins the carrier
 * it runs on for as long as the query runs, and with one carrier per core two slow queries would
 * stop every other request of the server. The request's virtual thread hands its call over and
 * waits for it, unmounted, until its deadline ({@link Transaction}); only a SQLite read may start
 * on the request's thread, for a millisecond at most ({@link StatementGuard}).
 *
 * <p>Two lanes:
 * <ul>
 * <li><b>opening</b>, a thread per request that may run at once (`server.workers`, at least
 *     `db.pool`): a transaction's first call, which takes a connection from the pool — waiting
 *     for one, up to the pool's timeout, when all are busy or the database is out of reach — and
 *     then runs its statement. With fewer threads, requests would queue here behind others'
 *     waits and reach their deadline (a 500) before they could be told the database is
 *     unavailable (a 503);</li>
 * <li><b>holding</b>, `db.pool` threads: every later call on a connection a transaction holds —
 *     statements, commit, rollback, the release — and the clean-up of a connection whose request
 *     stopped waiting.</li>
 * </ul>
 * A transaction makes one call at a time, and at most `db.pool` connections are held at once, so
 * the holding lane has a thread for each: a request that holds a connection never waits behind
 * requests that wait for one (with one lane, `db.pool` of those could take every thread while
 * the holders, who would free the connections, queued behind them). Idle threads end after
 * {@link #KEEP_ALIVE_SECONDS}.
 */
public final class JdbcThreads implements AutoCloseable {
    /** An idle thread ends after this long; a busy server keeps its threads. */
    static final long KEEP_ALIVE_SECONDS = 30;

    private final ThreadPoolExecutor opening;
    private final ThreadPoolExecutor holding;

    /**
     * @param connections the pool's size: the holding lane's threads
     * @param requests    the requests that may run at once: the opening lane's threads (at least `connections`)
     */
    public JdbcThreads(int connections, int requests) {
        this.opening = lane("manaknight-db-open-", Math.max(connections, requests));
        this.holding = lane("manaknight-db-", connections);
    }

    private static ThreadPoolExecutor lane(String prefix, int threads) {
        var n = new AtomicInteger();
        ThreadFactory factory = r -> Thread.ofPlatform().daemon().name(prefix + n.incrementAndGet()).unstarted(r);
        var e = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** Where a transaction's first call runs: it takes a connection from the pool. */
    Executor opening() { return opening; }

    /** Where the calls on a held connection run. */
    Executor holding() { return holding; }

    /** Takes no new call; the calls running or queued finish (a connection's clean-up included). */
    @Override public void close() {
        opening.shutdown();
        holding.shutdown();
    }
}

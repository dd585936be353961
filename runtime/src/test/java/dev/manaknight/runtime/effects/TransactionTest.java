package dev.manaknight.runtime.effects;

import static dev.manaknight.runtime.Fixtures.COUNT_USERS;
import static dev.manaknight.runtime.Fixtures.CREATE_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Host.EffectFailure;
import dev.manaknight.runtime.Fixtures;
import dev.manaknight.runtime.json.TypeTable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 12: a request's database calls run on the database's platform threads while its virtual
 * thread waits, at most until its deadline or its stop; a connection whose request stopped
 * waiting is cleaned up after its call ends, never beside it.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a pinned carrier must fail a test, not hang it
class TransactionTest {
    /** A SQLite query that never ends by itself. */
    static final EffectOp ENDLESS = new EffectOp(Capability.DB, "endless", List.of(), Type.INT,
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c");
    /** A write that never ends by itself: it takes the writer's turn. */
    static final EffectOp ENDLESS_WRITE = new EffectOp(Capability.DB, "endlessWrite", List.of(), Type.INT,
            "UPDATE users SET name = (" + ENDLESS.sql() + ")");
    /** Slack for a shared 2-core machine on top of a bound the code promises. */
    static final long SLACK_MS = 250;

    @TempDir Path dir;
    private PooledDatabase db;
    private final List<RequestHost> hosts = new ArrayList<>();

    private PooledDatabase open(int size) throws Exception {
        db = PooledDatabase.open("sqlite:" + dir.resolve("app.db"), size, Duration.ofSeconds(10), 8);
        Schema.applyIfEmpty(db, Fixtures.SCHEMA);
        return db;
    }

    @AfterEach void close() {
        hosts.forEach(RequestHost::cancel); // ends any endless query still running
        if (db != null) db.close();
    }

    private RequestHost host(Transaction tx) {
        var h = new RequestHost("r" + hosts.size(), Capability.DB.bit(), tx, new QueryCatalog(List.of()),
                new ResultMapper(new TypeTable(Fixtures.users())), LoggerFactory.getLogger("test"), () -> 0L, new Random(1));
        hosts.add(h);
        return h;
    }

    private static long deadlineIn(long ms) { return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms); }

    private long count() throws Exception {
        var tx = new Transaction(db, deadlineIn(5000));
        try {
            return (Long) host(tx).effect(COUNT_USERS, new Object[0]);
        } finally {
            tx.rollback();
        }
    }

    /**
     * The pool's database as PostgreSQL's is used: every call on a database thread (no statement
     * guard: no call runs on the request's thread).
     */
    private Database threadsOnly() {
        return new Database() {
            @Override public Connection acquire() throws SQLException { return db.acquire(); }

            @Override public void release(Connection c) { db.release(c); }

            @Override public void evict(Connection c) { db.evict(c); }

            @Override public java.sql.PreparedStatement prepare(Connection c, String sql) throws SQLException {
                return db.prepare(c, sql);
            }

            @Override public void done(Connection c, String sql, java.sql.PreparedStatement ps) { db.done(c, sql, ps); }

            @Override public JdbcThreads threads() { return db.threads(); }

            @Override public void close() {}
        };
    }

    /** {@link #count} on another thread: whether it has to wait for the one connection. */
    private CompletableFuture<Long> countElsewhere() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return count();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test void aCallPastTheDeadlineIsAbandonedAtTheDeadlineAndItsWorkRolledBackAfterItEnds() throws Exception {
        open(1); // one connection: the next transaction gets it only once the clean-up gave it back
        var tx = new Transaction(threadsOnly(), deadlineIn(300));
        RequestHost h = host(tx);
        h.effect(CREATE_USER, new Object[] {"Linus", "l@x"});
        long start = System.nanoTime();
        var failure = assertThrows(EffectFailure.class, () -> h.effect(ENDLESS, new Object[0]));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals("timeout", failure.kind());
        assertTrue(ms < 300 + SLACK_MS, "the wait ended " + ms + " ms after the query began, its deadline was at 300");
        tx.rollback(); // the core's `finally`: a no-op, the clean-up follows the running query
        assertThrows(EffectFailure.class, () -> h.effect(COUNT_USERS, new Object[0]), "later calls fail at once");

        var next = countElsewhere();
        assertThrows(TimeoutException.class, () -> next.get(200, TimeUnit.MILLISECONDS),
                "the connection is not given back, nor rolled back, while its query still runs");
        h.cancel(); // what the watchdog's stop does: the statement is cancelled, the query ends
        assertEquals(2L, next.get(5, TimeUnit.SECONDS), "then the write of the abandoned request is rolled back");
    }

    @Test void theCleanUpOfAnAbandonedCallRunsOnItsThreadAfterIt() throws Exception {
        open(1);
        var tx = new Transaction(threadsOnly(), deadlineIn(300));
        tx.query(c -> c.createStatement().executeUpdate("DELETE FROM users"));
        var release = new CountDownLatch(1);
        var cleanedOn = new AtomicReference<String>();
        assertThrows(Transaction.Abandoned.class, () -> tx.query(c -> {
            try {
                release.await(); // a call that does not end by itself (a driver stuck in a read)
            } catch (InterruptedException e) {
                throw new SQLException(e);
            }
            cleanedOn.set(Thread.currentThread().getName());
            return null;
        }));
        var next = countElsewhere();
        assertThrows(TimeoutException.class, () -> next.get(200, TimeUnit.MILLISECONDS),
                "the connection is not given back, nor rolled back, while its call still runs");
        release.countDown();
        assertEquals(2L, next.get(5, TimeUnit.SECONDS), "then it is rolled back and given back");
        assertTrue(cleanedOn.get().startsWith("manaknight-db"), cleanedOn.get());
    }

    @Test void aStopEndsTheWaitAtOnce() throws Exception {
        open(2);
        var tx = new Transaction(db, deadlineIn(10_000));
        RequestHost h = host(tx);
        var failed = new CompletableFuture<Long>();
        Thread.ofVirtual().start(() -> {
            long start = System.nanoTime();
            try {
                h.effect(ENDLESS, new Object[0]);
            } catch (EffectFailure e) {
                failed.complete((System.nanoTime() - start) / 1_000_000);
            }
        });
        waitForBusyConnections(1);
        long stopAt = System.nanoTime();
        Thread.ofVirtual().start(h::cancel); // as InFlight.stop does: on a thread of its own
        failed.get(SLACK_MS, TimeUnit.MILLISECONDS);
        assertTrue((System.nanoTime() - stopAt) / 1_000_000 < SLACK_MS);
        assertEquals(2L, count(), "the connection came back and the database serves");
    }

    /**
     * The starvation of issue 12: with a native SQLite step on every carrier, no virtual thread
     * could run — not a neighbour's request, not the cancel of the slow ones.
     */
    @Test void slowQueriesHoldNoCarrier() throws Exception { slowQueriesHoldNoCarrier(ENDLESS); }

    @Test void slowWritesHoldNoCarrierEither() throws Exception { slowQueriesHoldNoCarrier(ENDLESS_WRITE); }

    private void slowQueriesHoldNoCarrier(EffectOp endless) throws Exception {
        int slow = Math.max(2, Runtime.getRuntime().availableProcessors()); // as many as there are carriers
        open(slow);
        var ended = new CountDownLatch(slow);
        for (int i = 0; i < slow; i++) {
            RequestHost h = host(new Transaction(db, deadlineIn(20_000)));
            Thread.ofVirtual().start(() -> {
                try {
                    h.effect(endless, new Object[0]);
                } catch (EffectFailure e) {
                    ended.countDown();
                }
            });
        }
        waitForBusyConnections(slow);
        long worst = 0;
        for (int i = 0; i < 20; i++) { // a neighbour: virtual threads that only need a carrier
            long start = System.nanoTime();
            var ran = new CountDownLatch(1);
            Thread.ofVirtual().start(ran::countDown);
            assertTrue(ran.await(10, TimeUnit.SECONDS), "a virtual thread could not run while " + slow + " queries ran");
            worst = Math.max(worst, System.nanoTime() - start);
            Thread.sleep(10);
        }
        assertTrue(worst < TimeUnit.MILLISECONDS.toNanos(100), "a virtual thread waited " + worst / 1_000_000 + " ms for a carrier");
        hosts.forEach(h -> Thread.ofVirtual().start(h::cancel));
        assertTrue(ended.await(5, TimeUnit.SECONDS), "every slow query was cancelled");
    }

    /** Issue 12: a short read costs no hand-over to another thread; a long one moves and still ends at its deadline. */
    @Test void aShortReadRunsOnTheRequestsThreadALongOneMovesToADatabaseThread() throws Exception {
        open(1);
        var tx = new Transaction(db, deadlineIn(300));
        var ran = new ArrayList<String>();
        long one = tx.read(c -> {
            ran.add(Thread.currentThread().getName());
            try (var rs = c.createStatement().executeQuery("SELECT 1")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertEquals(1, one);
        assertEquals(List.of(Thread.currentThread().getName()), ran, "a short read ran where it was asked");
        long start = System.nanoTime();
        var slow = assertThrows(Transaction.Abandoned.class, () -> tx.read(c -> {
            ran.add(Thread.currentThread().getName());
            return c.createStatement().executeQuery(ENDLESS.sql()).next();
        }));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 300 + SLACK_MS, "abandoned after " + ms + " ms; the deadline was at 300: " + slow);
        assertEquals(3, ran.size(), "run here, interrupted, run again on a database thread: " + ran);
        assertTrue(ran.get(2).startsWith("manaknight-db"), ran.toString());
        assertEquals(2L, count(), "the guard ended the moved query at the deadline: the one connection came back");
    }

    /** Issue 12: SQLite's one writer runs on its own thread; the others wait for its turn, unmounted, until their deadline. */
    @Test void oneTransactionWritesAtATimeOnItsOwnThread() throws Exception {
        assumeTrue(StatementGuard.CARRIERS >= 2, "one carrier: writes run on the database threads");
        open(3);
        var first = new Transaction(db, deadlineIn(5000));
        String ranOn = first.query(c -> {
            c.createStatement().executeUpdate("INSERT INTO users(name, email) VALUES ('a', 'a')");
            return Thread.currentThread().getName();
        });
        assertEquals(Thread.currentThread().getName(), ranOn, "the writer's statement ran where it was asked");

        var second = new Transaction(db, deadlineIn(300));
        long start = System.nanoTime();
        assertThrows(Transaction.Abandoned.class, () -> second.query(c -> c.createStatement().executeUpdate("DELETE FROM users")),
                "the turn is the first's until it ends");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 250 && ms < 300 + SLACK_MS, "the wait for the turn ended at the deadline: " + ms + " ms");
        second.rollback();

        var third = CompletableFuture.supplyAsync(() -> {
            var tx = new Transaction(db, deadlineIn(5000));
            try {
                tx.query(c -> c.createStatement().executeUpdate("INSERT INTO users(name, email) VALUES ('c', 'c')"));
                tx.commit();
                return true;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(TimeoutException.class, () -> third.get(100, TimeUnit.MILLISECONDS), "waits for the turn");
        first.commit();
        assertTrue(third.get(5, TimeUnit.SECONDS), "the turn passed on at the commit");
        assertEquals(4L, count());
    }

    @Test void aStoppedWriterIsInterruptedAndGivesItsTurnBack() throws Exception {
        assumeTrue(StatementGuard.CARRIERS >= 2, "one carrier: writes run on the database threads");
        open(2);
        var tx = new Transaction(db, deadlineIn(20_000));
        var failed = new CompletableFuture<Throwable>();
        Thread.ofVirtual().start(() -> {
            try {
                tx.query(c -> c.createStatement().executeUpdate(ENDLESS_WRITE.sql()));
                failed.complete(null);
            } catch (Exception e) {
                failed.complete(e);
            } finally {
                tx.rollback();
            }
        });
        waitForBusyConnections(1);
        var ran = new CountDownLatch(1);
        Thread.ofVirtual().start(ran::countDown); // the endless write holds one carrier, not all
        assertTrue(ran.await(1, TimeUnit.SECONDS));
        tx.stop();
        assertTrue(failed.get(SLACK_MS, TimeUnit.MILLISECONDS) instanceof SQLException, "the guard interrupted the write");
        var next = new Transaction(db, deadlineIn(5000));
        next.query(c -> c.createStatement().executeUpdate("INSERT INTO users(name, email) VALUES ('n', 'n')"));
        next.commit();
        assertEquals(3L, count(), "the turn came back; the stopped write was rolled back");
    }

    @Test void aConnectionThatReportsABrokenDatabaseIsEvictedNotGivenBack() throws Exception {
        open(1);
        var released = new AtomicInteger();
        var evicted = new AtomicInteger();
        var broken = new Database() {
            @Override public Connection acquire() throws SQLException { return db.acquire(); }

            @Override public void release(Connection c) {
                released.incrementAndGet();
                db.release(c);
            }

            @Override public void evict(Connection c) {
                evicted.incrementAndGet();
                db.evict(c);
            }

            @Override public JdbcThreads threads() { return db.threads(); }

            @Override public void close() {}
        };
        var tx = new Transaction(broken, deadlineIn(5000));
        var notADatabase = assertThrows(SQLException.class, () -> tx.query(c -> {
            throw new org.sqlite.SQLiteException("file is not a database", org.sqlite.SQLiteErrorCode.SQLITE_NOTADB);
        }));
        assertEquals(SqlFault.UNAVAILABLE, SqlFault.of(notADatabase));
        tx.rollback();
        assertEquals(1, evicted.get());
        assertEquals(0, released.get());

        var fine = new Transaction(broken, deadlineIn(5000));
        assertThrows(SQLException.class, () -> fine.query(c -> c.createStatement().execute("SELECT * FROM nowhere")));
        assertEquals(SqlFault.STATEMENT, SqlFault.of(assertThrows(SQLException.class,
                () -> fine.query(c -> c.createStatement().execute("SELECT * FROM nowhere")))));
        fine.rollback();
        assertEquals(1, released.get(), "a statement's failure leaves the connection sound");
        assertEquals(1, evicted.get());
    }

    @Test void timeoutsDeriveFromTheRequestTimeoutAndTheConnectTimeout() {
        var tenSeconds = PoolTimeouts.of(Duration.ofSeconds(10));
        assertEquals(new PoolTimeouts(2000, 1000, 2, 12, 5000), tenSeconds, "db.connect_timeout's default, 2 s (issue 14)");
        var short_ = PoolTimeouts.of(Duration.ofMillis(100));
        assertEquals(new PoolTimeouts(250, 250, 1, 3, 100), short_, "HikariCP's floor; pgjdbc's whole seconds");
        var long_ = PoolTimeouts.of(Duration.ofMinutes(5));
        assertEquals(new PoolTimeouts(2000, 1000, 2, 302, 5000), long_);
        assertEquals(new PoolTimeouts(5000, 2500, 5, 12, 5000), PoolTimeouts.of(Duration.ofSeconds(10), Duration.ofSeconds(5)),
                "at the limit: half the request's time");
        assertEquals(new PoolTimeouts(5000, 2500, 5, 12, 5000), PoolTimeouts.of(Duration.ofSeconds(10), Duration.ofSeconds(6)),
                "past it: cut to half the request's time");
        assertEquals(new PoolTimeouts(30_000, 5000, 30, 302, 5000), PoolTimeouts.of(Duration.ofMinutes(5), Duration.ofMinutes(1)));
    }

    private void waitForBusyConnections(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (db.busyConnections() < n) {
            assertTrue(System.nanoTime() < deadline, "the queries did not start");
            Thread.sleep(5);
        }
    }
}

package dev.manaknight.runtime;

import static dev.manaknight.runtime.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.model.Type;
import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.DatabaseUnavailable;
import dev.manaknight.runtime.effects.Schema;
import dev.manaknight.runtime.effects.SingleConnectionDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17 (ClusterTest, PostgreSQL stopped): a request that lost a serialization race runs
 * again holding the retry turn, and while the turn is taken every new request that uses the
 * database queued for it. With the database down, each holder kept the turn for the whole
 * connection wait before its 503, so the queue moved at one request per wait and the last ones
 * reached their deadline: `500 timeout` instead of the promised `503 database-unavailable` within
 * `db.connect_timeout`. Now a first run stops waiting for the turn once the database answered
 * out of reach.
 */
class RetryTurnOutageTest {
    /** The fake database's wait for a connection while it is down: `db.connect_timeout`. */
    private static final long CONNECT_MS = 1000;
    private static final int NEWCOMERS = 5;

    @Test @Timeout(60)
    void withTheDatabaseDownNewcomersDoNotQueueBehindARetryAndAre503InTime() throws Exception {
        var inner = SingleConnectionDatabase.inMemorySqlite();
        Schema.applyIfEmpty(inner, Fixtures.SCHEMA);
        var db = new FlakyDatabase(inner);
        // Handler 1 (`GET /users/me`): counts the users through the database.
        Fixtures.Handler count = (h, a) -> json(200, Type.INT, h.effect(Fixtures.COUNT_USERS, new Object[0]));
        var core = Fixtures.deployment(Fixtures.users(), Fixtures.fake(null, count), db,
                Fixtures.config(1024, Duration.ofSeconds(30), false), e -> { });
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            assertEquals(200, core.handle(Fixtures.get("/users/me")).status());

            // The first request loses a race, and the database stops then: its run again holds the
            // turn while it waits for a connection.
            db.conflictOnce.set(true);
            Future<Integer> loser = clients.submit(() -> core.handle(Fixtures.get("/users/me")).status());
            assertTrue(db.waiting.await(10, TimeUnit.SECONDS), "the run again waits for a connection");

            var newcomers = new ArrayList<Future<Long>>();
            for (int i = 0; i < NEWCOMERS; i++) {
                newcomers.add(clients.submit(() -> {
                    long start = System.nanoTime();
                    var reply = core.handle(Fixtures.get("/users/me"));
                    assertEquals(503, reply.status(), reply.text());
                    assertTrue(reply.text().contains("database-unavailable"), reply.text());
                    return (System.nanoTime() - start) / 1_000_000;
                }));
            }
            assertEquals(503, loser.get(20, TimeUnit.SECONDS));
            List<Long> waited = new ArrayList<>();
            for (var f : newcomers) waited.add(f.get(20, TimeUnit.SECONDS));
            // Queued one behind another, the last waited about NEWCOMERS + 1 connection waits.
            long bound = 3 * CONNECT_MS;
            System.out.println("issue 17: newcomers behind a retry with the database down waited " + waited + " ms");
            for (long ms : waited) assertTrue(ms < bound, "a newcomer waited " + ms + " ms (all: " + waited + "); at most " + bound);
        } finally {
            core.close();
            inner.close();
        }
    }

    /** A database that can fail one statement with a serialization failure and then be down. */
    private static final class FlakyDatabase implements Database {
        final AtomicBoolean conflictOnce = new AtomicBoolean();
        final AtomicBoolean down = new AtomicBoolean();
        final CountDownLatch waiting = new CountDownLatch(1);
        private final SingleConnectionDatabase inner;

        FlakyDatabase(SingleConnectionDatabase inner) {
            this.inner = inner;
        }

        @Override public Connection acquire() throws SQLException {
            if (down.get()) {
                waiting.countDown();
                try {
                    Thread.sleep(CONNECT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new DatabaseUnavailable("no connection within " + CONNECT_MS + " ms (the test's database is down)");
            }
            return inner.acquire();
        }

        @Override public void release(Connection c) { inner.release(c); }

        @Override public PreparedStatement prepare(Connection c, String sql) throws SQLException {
            PreparedStatement real = inner.prepare(c, sql);
            if (!conflictOnce.getAndSet(false)) return real;
            down.set(true);
            return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (proxy, m, args) -> {
                        if (m.getName().startsWith("execute"))
                            throw new SQLException("could not serialize access due to concurrent update", "40001");
                        try {
                            return m.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override public void done(Connection c, String sql, PreparedStatement ps) { inner.done(c, sql, ps); }

        @Override public void close() { }
    }
}

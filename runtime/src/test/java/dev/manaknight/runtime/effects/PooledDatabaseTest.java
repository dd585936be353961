package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.runtime.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pooled SQLite file database: the schema applies once, transactions commit and roll back. */
class PooledDatabaseTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir Path dir;

    @Test void schemaOnceAndTransactions() throws Exception {
        String url = "sqlite:" + dir.resolve("app.db");
        try (var db = PooledDatabase.open(url, 2, TIMEOUT, 8)) {
            assertTrue(Schema.applyIfEmpty(db, Fixtures.SCHEMA));
            assertFalse(Schema.applyIfEmpty(db, Fixtures.SCHEMA));
            var rolledBack = new Transaction(db);
            rolledBack.query(c -> c.createStatement().execute("DELETE FROM users"));
            rolledBack.rollback();
            var committed = new Transaction(db);
            committed.query(c -> c.createStatement().execute("DELETE FROM users WHERE id = 1"));
            committed.commit();
            var c = db.acquire();
            try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM users")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
                assertTrue(c.getAutoCommit());
            } finally {
                db.release(c);
            }
        }
        try (var again = PooledDatabase.open(url, 1, TIMEOUT, 8)) {
            assertFalse(Schema.applyIfEmpty(again, Fixtures.SCHEMA));
        }
        assertThrows(IllegalArgumentException.class, () -> PooledDatabase.jdbcUrl("mysql://x"));
        assertEquals("jdbc:postgresql://h:5432/d", PooledDatabase.jdbcUrl("postgres://h:5432/d"));
    }

    /**
     * The driver's generated keys are off, on pooled connections and on the single one: with them
     * on, every statement's text is matched against a regular expression and every insert is
     * followed by a `SELECT last_insert_rowid()` (10 % of `serve`'s allocation on GET /users/{id}).
     */
    @Test void sqliteConnectionsDoNotFetchGeneratedKeys() throws Exception {
        try (var db = PooledDatabase.open("sqlite:" + dir.resolve("keys.db"), 1, TIMEOUT, 8)) {
            var c = db.acquire();
            try {
                assertFalse(c.unwrap(org.sqlite.SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys());
            } finally {
                db.release(c);
            }
        }
        try (var db = SingleConnectionDatabase.inMemorySqlite()) {
            assertFalse(db.acquire().unwrap(org.sqlite.SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys());
        }
    }

    @Test void sqliteStatementsArePreparedOncePerConnectionAndSurviveThePool() throws Exception {
        String url = "sqlite:" + dir.resolve("cache.db");
        try (var db = PooledDatabase.open(url, 1, TIMEOUT, 8)) { // one connection: every transaction gets the same one
            Schema.applyIfEmpty(db, Fixtures.SCHEMA);
            String sql = "SELECT name FROM users WHERE id = ?";
            java.sql.PreparedStatement first = null;
            for (long id = 1; id <= 2; id++) {
                var tx = new Transaction(db);
                long row = id;
                var ps = tx.query(c -> {
                    var s = tx.prepare(c, sql);
                    s.setLong(1, row);
                    try (var rs = s.executeQuery()) {
                        assertTrue(rs.next());
                    }
                    tx.done(c, sql, s);
                    return s;
                });
                if (first == null) first = ps;
                assertTrue(ps == first, "the same statement, not a new one, for the same SQL on the same connection");
                tx.commit(); // the pool takes the connection back: the statement stays open on it
                assertFalse(ps.isClosed());
            }
            assertEquals(1, db.cachedStatements());
            var tx = new Transaction(db);
            tx.query(c -> {
                tx.done(c, "SELECT count(*) FROM users", tx.prepare(c, "SELECT count(*) FROM users"));
                return null;
            });
            tx.rollback();
            assertEquals(2, db.cachedStatements());
        }
        try (var pg = PooledDatabase.open("sqlite:" + dir.resolve("other.db"), 1, TIMEOUT, 8)) {
            var tx = new Transaction(pg);
            var ps = tx.query(c -> {
                var s = tx.prepare(c, "SELECT 1");
                s.executeQuery().close();
                tx.done(c, "SELECT 1", s);
                return s;
            });
            tx.commit();
            var again = new Transaction(pg);
            assertTrue(again.query(c -> again.prepare(c, "SELECT 1")) == ps, "after a result that was closed by the caller too");
            again.rollback();
        }
    }

    @Test void aConnectionKeepsAtMostItsLimitOfStatementsClosingTheLeastRecentlyUsed() throws Exception {
        var cache = new StatementCache();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:")) {
            var first = cache.prepare(c, "SELECT 0");
            var second = cache.prepare(c, "SELECT 1");
            for (int i = 2; i < StatementCache.PER_CONNECTION; i++) cache.prepare(c, "SELECT " + i);
            assertEquals(StatementCache.PER_CONNECTION, cache.size());
            assertFalse(first.isClosed(), "at the limit nothing is closed");
            cache.prepare(c, "SELECT 0"); // used again: now the most recent
            cache.prepare(c, "SELECT 'one more'");
            assertEquals(StatementCache.PER_CONNECTION, cache.size());
            assertFalse(first.isClosed(), "recently used, kept");
            assertTrue(second.isClosed(), "the least recently used went out, closed");
            assertTrue(cache.prepare(c, "SELECT 0") == first);
        }
    }

    /**
     * Issue 12: the pool is opened whole at start and kept, so a burst never waits for connections
     * to be opened one by one on a saturated machine (the soak's one neighbour 503).
     */
    @Test void everyConnectionIsOpenedAtStartWithoutBeingAskedFor() throws Exception {
        try (var db = PooledDatabase.open("sqlite:" + dir.resolve("app.db"), 6, TIMEOUT, 8)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (db.openConnections() < 6 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(6, db.openConnections(), "connections open without a request");
            var held = new java.util.ArrayList<java.sql.Connection>();
            for (int i = 0; i < 6; i++) held.add(db.acquire());
            held.forEach(db::release);
            assertEquals(6, db.openConnections(), "released connections stay open");
        }
    }
}

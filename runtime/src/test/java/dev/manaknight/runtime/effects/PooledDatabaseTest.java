package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.runtime.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pooled SQLite file database: the schema applies once, transactions commit and roll back. */
class PooledDatabaseTest {
    @TempDir Path dir;

    @Test void schemaOnceAndTransactions() throws Exception {
        String url = "sqlite:" + dir.resolve("app.db");
        try (var db = PooledDatabase.open(url, 2)) {
            assertTrue(Schema.applyIfEmpty(db, Fixtures.SCHEMA));
            assertFalse(Schema.applyIfEmpty(db, Fixtures.SCHEMA));
            var rolledBack = new Transaction(db);
            rolledBack.connection().createStatement().execute("DELETE FROM users");
            rolledBack.rollback();
            var committed = new Transaction(db);
            committed.connection().createStatement().execute("DELETE FROM users WHERE id = 1");
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
        try (var again = PooledDatabase.open(url, 1)) {
            assertFalse(Schema.applyIfEmpty(again, Fixtures.SCHEMA));
        }
        assertThrows(IllegalArgumentException.class, () -> PooledDatabase.jdbcUrl("mysql://x"));
        assertEquals("jdbc:postgresql://h:5432/d", PooledDatabase.jdbcUrl("postgres://h:5432/d"));
    }

    @Test void sqliteStatementsArePreparedOncePerConnectionAndSurviveThePool() throws Exception {
        String url = "sqlite:" + dir.resolve("cache.db");
        try (var db = PooledDatabase.open(url, 1)) { // one connection: every transaction gets the same one
            Schema.applyIfEmpty(db, Fixtures.SCHEMA);
            String sql = "SELECT name FROM users WHERE id = ?";
            java.sql.PreparedStatement first = null;
            for (long id = 1; id <= 2; id++) {
                var tx = new Transaction(db);
                var ps = tx.prepare(sql);
                if (first == null) first = ps;
                assertTrue(ps == first, "the same statement, not a new one, for the same SQL on the same connection");
                ps.setLong(1, id);
                try (var rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                }
                tx.done(sql, ps);
                tx.commit(); // the pool takes the connection back: the statement stays open on it
                assertFalse(ps.isClosed());
            }
            assertEquals(1, db.cachedStatements());
            var tx = new Transaction(db);
            var ps = tx.prepare("SELECT count(*) FROM users");
            tx.done("SELECT count(*) FROM users", ps);
            tx.rollback();
            assertEquals(2, db.cachedStatements());
        }
        try (var pg = PooledDatabase.open("sqlite:" + dir.resolve("other.db"), 1)) {
            var tx = new Transaction(pg);
            var ps = tx.prepare("SELECT 1");
            ps.executeQuery().close();
            tx.done("SELECT 1", ps);
            tx.commit();
            var again = new Transaction(pg);
            assertTrue(again.prepare("SELECT 1") == ps, "after a result that was closed by the caller too");
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
}

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
}

package dev.manaknight.runtime.effects;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Issue 14: migrations on a SQLite file; the lock is SQLite's write lock (`BEGIN IMMEDIATE`). */
class SqliteMigrationTest extends MigrationContract {
    @Override String url() { return "sqlite:" + dir.resolve("app.db"); }

    @Override Dialect dialect() { return Dialect.SQLITE; }

    /** A trigger's body holds `;`: a script split at every `;` broke it. */
    @Override String triggerScript() {
        return """
                CREATE TRIGGER runs_append_only BEFORE DELETE ON runs
                BEGIN
                  SELECT RAISE(ABORT, 'runs are append-only');
                END;
                CREATE TRIGGER runs_no_update BEFORE UPDATE ON runs BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;
                """;
    }

    @Override String slowStatement() {
        return "CREATE TABLE slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 300000) "
                + "SELECT x FROM c;";
    }

    @Override void holdMigrationLock(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("BEGIN IMMEDIATE");
        }
    }

    @Override void releaseMigrationLock(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("ROLLBACK");
        }
    }
}

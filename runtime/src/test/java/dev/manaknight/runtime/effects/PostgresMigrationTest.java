package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Issue 14: migrations on PostgreSQL (when `MANAKNIGHT_TEST_PG_URL` names one), each test in a
 * schema of its own; the lock is a transaction advisory lock.
 */
class PostgresMigrationTest extends MigrationContract {
    private static final String BASE = System.getenv("MANAKNIGHT_TEST_PG_URL");
    private String schema;

    @BeforeEach void createSchema() throws SQLException {
        assumeTrue(BASE != null && !BASE.isBlank(), "MANAKNIGHT_TEST_PG_URL is not set");
        schema = "mk_migrate_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(PooledDatabase.jdbcUrl(BASE)); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach void dropSchema() throws SQLException {
        if (schema == null) return;
        try (Connection c = DriverManager.getConnection(PooledDatabase.jdbcUrl(BASE)); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Override String url() { return BASE + (BASE.contains("?") ? "&" : "?") + "currentSchema=" + schema; }

    @Override Dialect dialect() { return Dialect.POSTGRESQL; }

    /** A function body in `$$` holds `;`: a script split at every `;` broke it. */
    @Override String triggerScript() {
        return """
                CREATE FUNCTION runs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  RAISE EXCEPTION 'runs are append-only';
                END;
                $$;
                CREATE TRIGGER runs_append_only BEFORE UPDATE OR DELETE ON runs
                  FOR EACH ROW EXECUTE FUNCTION runs_append_only();
                """;
    }

    @Override String slowStatement() { return "SELECT pg_sleep(0.3);"; }

    @Override void holdMigrationLock(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + Migrator.PG_LOCK_KEY + ")");
        }
    }

    @Override void releaseMigrationLock(Connection c) throws SQLException {
        c.rollback();
        c.setAutoCommit(true);
    }
}

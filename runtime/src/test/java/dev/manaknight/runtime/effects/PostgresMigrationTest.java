package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

    /**
     * A statement whose cancel never came (a killed server process) once ran on PostgreSQL for
     * 15 minutes: the server now ends any statement at the request's timeout plus 2 s, and a
     * transaction left idle as long. A migration lifts both for its session and restores them.
     */
    @Test void theServerEndsAStatementPastTheRequestsTimeButNotAMigration() throws Exception {
        var folder = Files.createDirectories(dir.resolve("slow"));
        Files.writeString(folder.resolve("V1__slow.sql"), "SELECT pg_sleep(3.5);\nCREATE TABLE done (x INT);");
        try (var db = SingleConnectionDatabase.connect(url(), Duration.ofSeconds(1), Duration.ofSeconds(10))) {
            Connection c = db.acquire();
            assertEquals("3s", show(c, "statement_timeout"), "limits.timeout 1 s + 2 s");
            assertEquals("3s", show(c, "idle_in_transaction_session_timeout"));
            db.release(c);
            Schema.migrate(db, folder, "the test database"); // 3.5 s: past the limit, and applied
            c = db.acquire();
            assertEquals(0, count(c, "SELECT count(*) FROM done"));
            assertEquals("3s", show(c, "statement_timeout"), "restored after the migration");
            assertEquals("3s", show(c, "idle_in_transaction_session_timeout"));
            db.release(c);
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
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

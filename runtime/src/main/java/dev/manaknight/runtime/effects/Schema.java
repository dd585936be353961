package dev.manaknight.runtime.effects;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Makes an app's database what the app expects, one of two ways:
 *
 * <ul>
 * <li>**Migrations** (`APP/migrations/`, {@link MigrationFiles}): every pending one applied, once,
 *     under a lock, recorded with its checksum ({@link Migrator}).</li>
 * <li>**A schema script** (`APP/schema.sql`), the simplest case: applied once, when the database
 *     has no tables at all (a new file, or an empty PostgreSQL database), and never over a
 *     database that has any — whatever tables it has, they are the app's data, and the script is
 *     not run again to "repair" them. Applying it is said in the log (a WARN naming the database
 *     and the script), so that a database that came up empty when it should not have — a wrong
 *     path, a deleted file — is seen at once.</li>
 * </ul>
 * Either way a script runs whole, as the database's own shell runs it ({@link Dialect#runScript}).
 */
public final class Schema {
    private Schema() {}

    /** @return true when the script ran */
    public static boolean applyIfEmpty(Database db, String script) throws SQLException {
        return apply(db, script, null);
    }

    /**
     * Applies the migrations in `folder`. On PostgreSQL the pool's socket timeout (`limits.timeout`
     * + 2 s, PoolTimeouts) is lifted while they run: a schema change on a large table may rightly
     * take minutes, and a read cut off by the socket timeout would leave it running on the server
     * with its lock; the lock waits stay bounded ({@link Migrator#LOCK_WAIT}).
     */
    public static Migrator.Report migrate(Database db, Path folder, String dbName) throws SQLException, IOException {
        return migrate(db, folder, dbName, true);
    }

    /** Tests' in-memory databases: the migrations applied without a log line each. */
    public static Migrator.Report migrateQuietly(Database db, Path folder) throws SQLException, IOException {
        return migrate(db, folder, "the test database", false);
    }

    private static Migrator.Report migrate(Database db, Path folder, String dbName, boolean announce)
            throws SQLException, IOException {
        Connection c = db.acquire();
        try {
            Dialect dialect = Dialect.of(c);
            List<Migration> migrations = MigrationFiles.load(folder, dialect);
            int socketBefore = dialect == Dialect.POSTGRESQL ? c.getNetworkTimeout() : 0;
            if (dialect == Dialect.POSTGRESQL) {
                c.setNetworkTimeout(Runnable::run, 0);
                serverLimits(c, false); // a migration may take long: a request's limits are not its own
            }
            try {
                return new Migrator(c, dbName, Migrator.LOCK_WAIT, announce).migrate(migrations);
            } finally {
                if (dialect == Dialect.POSTGRESQL) {
                    serverLimits(c, true);
                    c.setNetworkTimeout(Runnable::run, socketBefore);
                }
            }
        } finally {
            db.release(c);
        }
    }

    /**
     * Records the migrations of `folder` up to `version` as applied without running them
     * (`manaknight migrate --baseline`): for a database made before the app had migrations.
     */
    public static List<Migration> baseline(Database db, Path folder, long version, String dbName)
            throws SQLException, IOException {
        Connection c = db.acquire();
        try {
            List<Migration> migrations = MigrationFiles.load(folder, Dialect.of(c));
            return new Migrator(c, dbName, Migrator.LOCK_WAIT, true).baseline(migrations, version);
        } finally {
            db.release(c);
        }
    }

    /** @param announce the WARN to write when the script runs, or null (tests' in-memory databases) */
    private static boolean apply(Database db, String script, String announce) throws SQLException {
        Connection c = db.acquire();
        try {
            boolean postgres = Dialect.of(c) == Dialect.POSTGRESQL;
            if (postgres) serverLimits(c, false);
            try {
                return new Migrator(c, "the database", Migrator.LOCK_WAIT, false).applyIfEmpty(script, announce);
            } finally {
                if (postgres) serverLimits(c, true);
            }
        } finally {
            db.release(c);
        }
    }

    /**
     * Lifts (`restore` false) or restores PostgreSQL's per-statement and idle-transaction limits
     * of the pool's connections ({@link PooledDatabase#postgresProperties}) for this session.
     */
    private static void serverLimits(Connection c, boolean restore) throws SQLException {
        boolean auto = c.getAutoCommit();
        if (!auto) c.rollback();
        c.setAutoCommit(true);
        try (var st = c.createStatement()) {
            st.execute(restore ? "RESET statement_timeout" : "SET statement_timeout = 0");
            st.execute(restore ? "RESET idle_in_transaction_session_timeout" : "SET idle_in_transaction_session_timeout = 0");
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * A freshly opened database made ready: its migrations applied (`migrations`, a folder), or
     * else the schema file applied when the database has no tables, with a WARN naming `dbName`
     * and the script. Either may be null. On failure the database is closed, so the caller has
     * nothing to clean up.
     */
    public static <D extends Database> D prepare(D db, Path schema, Path migrations, String dbName)
            throws IOException, SQLException {
        try {
            if (migrations != null) migrate(db, migrations, dbName);
            else if (schema != null)
                apply(db, Files.readString(schema, StandardCharsets.UTF_8), dbName + " has no tables: applying " + schema + " to it");
            return db;
        } catch (IOException | SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Tables in the connection's schema (PostgreSQL's `current_schema()`; SQLite has one). */
    static boolean hasTables(Connection c) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, Dialect.of(c).schema(c), "%", new String[] {"TABLE"})) {
            return rs.next();
        }
    }
}

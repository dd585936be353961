package dev.manaknight.runtime.effects;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an app's migrations to its database, each exactly once, also when several instances
 * start at once, and refuses a database whose applied migrations no longer match the files.
 *
 * <p>The history is the table {@value #HISTORY}: one row per applied migration (version, file,
 * checksum of its text, when, how long). Each pending migration runs in a transaction of its own
 * together with its history row, so a migration is applied whole or not at all, under a lock
 * that serializes instances: SQLite's write lock (`BEGIN IMMEDIATE`), PostgreSQL's transaction
 * advisory lock. Under the lock the history is read again, so a migration another instance
 * applied meanwhile is not applied twice.
 *
 * <p>A start with nothing to do (every CGI request is a start) takes no lock and writes nothing:
 * one `SELECT` of the history, compared with the files' checksums.
 */
public final class Migrator {
    /** The history table. */
    public static final String HISTORY = "manaknight_migrations";
    /**
     * How long an instance waits for another that is applying migrations: long enough for a
     * schema change of some size, short enough that a start never hangs on a stuck one.
     */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(60);
    /** PostgreSQL's advisory lock key for migrations ("manaknight" in ASCII); advisory locks are per database. */
    static final long PG_LOCK_KEY = 0x6d616e616b6e6967L;

    private static final Logger LOG = LoggerFactory.getLogger("manaknight");
    private static final String CREATE_HISTORY = "CREATE TABLE IF NOT EXISTS " + HISTORY + " (version BIGINT PRIMARY KEY, "
            + "file TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL, millis BIGINT NOT NULL)";

    /** What a run did: the migrations it applied (empty when the database was up to date). */
    public record Report(List<Migration> applied, int total) {}

    /** A row of the history. */
    private record Applied(long version, String file, String checksum, long appliedAt) {}

    private final Connection c;
    private final Dialect dialect;
    private final String dbName;
    private final Duration lockWait;
    /** Each applied migration is a WARN naming it and the database (not for tests' in-memory databases). */
    private final boolean announce;
    /** SQLite: the connection's busy timeout before the first lock (the pool's, PoolTimeouts), or -1. */
    private long busyBefore = -1;
    /** PostgreSQL: the connection's isolation level before the first lock (`db.isolation`), or -1. */
    private int isolationBefore = -1;

    /**
     * @param c        a connection with auto-commit on, given back so
     * @param dbName   the database as messages name it ({@link PooledDatabase#describe})
     * @param lockWait how long to wait for another instance's migrations
     * @param announce write a WARN for each migration applied
     */
    public Migrator(Connection c, String dbName, Duration lockWait, boolean announce) throws SQLException {
        this.c = c;
        this.dialect = Dialect.of(c);
        this.dbName = dbName;
        this.lockWait = lockWait;
        this.announce = announce;
    }

    /** Applies what is pending of `migrations` (in version order), or refuses with {@link MigrationException}. */
    public Report migrate(List<Migration> migrations) throws SQLException {
        Map<Long, Applied> history = readHistory();
        if (history != null && pending(migrations, history).isEmpty()) return new Report(List.of(), migrations.size());
        var applied = new ArrayList<Migration>();
        while (true) {
            begin();
            try {
                try (Statement st = c.createStatement()) {
                    st.execute(CREATE_HISTORY);
                }
                history = readHistory();
                if (history == null) throw new SQLException(HISTORY + " was just created and cannot be read");
                List<Migration> todo = pending(migrations, history);
                if (todo.isEmpty()) {
                    commit();
                    return new Report(applied, migrations.size());
                }
                if (history.isEmpty()) refuseForeignTables();
                Migration m = todo.getFirst();
                apply(m);
                commit();
                applied.add(m);
            } catch (SQLException | RuntimeException e) {
                rollback();
                throw e;
            } finally {
                end();
            }
        }
    }

    /**
     * Runs a schema script (`db.schema`) when the database has no tables, under the migrations'
     * lock and looking again under it: of several instances starting at once on an empty
     * database, one runs it and the others find its tables (issue 17: one of three once exited
     * 74, `relation "users" already exists`). A database with tables is not locked.
     *
     * @param announce the WARN to write when the script runs, or null
     * @return true when the script ran
     */
    public boolean applyIfEmpty(String script, String announce) throws SQLException {
        if (Schema.hasTables(c)) return false;
        begin();
        try {
            if (Schema.hasTables(c)) {
                commit();
                return false;
            }
            if (announce != null) LOG.warn("{}", announce);
            dialect.runScript(c, script);
            commit();
            return true;
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e;
        } finally {
            end();
        }
    }

    /**
     * Records the migrations up to `version` as applied without running them: for a database made
     * before the app had migrations (by schema.sql or by hand), whose tables those migrations
     * would create again. Only on a database without history.
     */
    public List<Migration> baseline(List<Migration> migrations, long version) throws SQLException {
        begin();
        try {
            try (Statement st = c.createStatement()) {
                st.execute(CREATE_HISTORY);
            }
            Map<Long, Applied> history = readHistory();
            if (history != null && !history.isEmpty())
                throw new MigrationException(dbName + " already has a migration history; a baseline is only for a database "
                        + "without one");
            var recorded = new ArrayList<Migration>();
            for (Migration m : migrations) {
                if (m.version() > version) break;
                record(m, 0);
                recorded.add(m);
            }
            if (recorded.isEmpty())
                throw new MigrationException("no migration has a version up to " + version + ": nothing to record as applied");
            commit();
            return recorded;
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e;
        } finally {
            end();
        }
    }

    /**
     * The migrations still to apply, after checking the history against the files: a changed
     * applied migration, an applied one whose file is gone, or a new one older than an applied
     * one refuses the start. Applied migrations newer than every file (an older release of the
     * app starting during a rolling deploy) are said in the log and left alone.
     */
    private List<Migration> pending(List<Migration> migrations, Map<Long, Applied> history) throws MigrationException {
        long newestFile = migrations.isEmpty() ? 0 : migrations.getLast().version();
        long newestApplied = history.isEmpty() ? 0 : ((TreeMap<Long, Applied>) history).lastKey();
        var byVersion = new TreeMap<Long, Migration>();
        for (Migration m : migrations) byVersion.put(m.version(), m);
        for (Applied a : history.values()) {
            Migration m = byVersion.get(a.version());
            if (m == null) {
                if (a.version() > newestFile) continue;
                throw new MigrationException(a.file() + " (version " + a.version() + ") was applied to " + dbName
                        + " but is not among the app's migrations: an applied migration must stay (was it deleted or renamed?)");
            }
            if (!m.checksum().equals(a.checksum()))
                throw new MigrationException(m.where() + " was changed after it was applied to " + dbName + " (at "
                        + java.time.Instant.ofEpochMilli(a.appliedAt()) + "): an applied migration must not change; "
                        + "undo the edit and put the change in a new migration (V" + (Math.max(newestFile, newestApplied) + 1)
                        + "__….sql)");
        }
        if (newestApplied > newestFile)
            LOG.warn("{} has migrations up to version {}, newer than this app's newest ({}): an older release of the app; "
                    + "they are left as they are", dbName, newestApplied, newestFile);
        var todo = new ArrayList<Migration>();
        for (Migration m : migrations) {
            if (history.containsKey(m.version())) continue;
            if (m.version() < newestApplied)
                throw new MigrationException(m.where() + " is not applied to " + dbName + ", but version " + newestApplied
                        + " is: migrations apply in order; give it a version above " + newestApplied);
            todo.add(m);
        }
        return todo;
    }

    private void apply(Migration m) throws SQLException {
        long start = System.nanoTime();
        try {
            dialect.runScript(c, m.script());
        } catch (SQLException e) {
            if (unreachable(e)) throw e;
            throw new MigrationException(m.where() + " failed on " + dbName + " (nothing of it was kept): " + e.getMessage(), e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        record(m, millis);
        if (announce) LOG.warn("applied {} to {} ({} ms)", m.where(), dbName, millis);
    }

    private void record(Migration m, long millis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + HISTORY
                + " (version, file, checksum, applied_at, millis) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, m.version());
            ps.setString(2, m.file());
            ps.setString(3, m.checksum());
            ps.setLong(4, System.currentTimeMillis());
            ps.setLong(5, millis);
            ps.executeUpdate();
        }
    }

    /** The first migration goes only into a database without tables of its own: it would create them again. */
    private void refuseForeignTables() throws SQLException {
        // PostgreSQL: the schema the history is in (a database may hold other apps' schemas); SQLite has none
        try (ResultSet rs = c.getMetaData().getTables(null, dialect.schema(c), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME");
                if (!HISTORY.equalsIgnoreCase(table))
                    throw new MigrationException(dbName + " has tables (" + table + ", …) but no migration history: it was "
                            + "made by schema.sql or by hand. If its tables are what the first migrations make, record them "
                            + "as applied with `manaknight migrate APP --baseline VERSION`; else start from an empty database");
            }
        }
    }

    /** The history by version, or null when the table does not exist. */
    private Map<Long, Applied> readHistory() throws SQLException {
        var out = new TreeMap<Long, Applied>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, file, checksum, applied_at FROM " + HISTORY)) {
            while (rs.next()) out.put(rs.getLong(1), new Applied(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
        } catch (SQLException e) {
            if (noSuchTable(e)) return null;
            throw e;
        }
        return out;
    }

    private boolean noSuchTable(SQLException e) {
        return switch (dialect) {
            case SQLITE -> e.getMessage() != null && e.getMessage().contains("no such table");
            case POSTGRESQL -> "42P01".equals(e.getSQLState());
        };
    }

    /** The database is out of reach: not the migration's fault, and not a refusal of the app. */
    private static boolean unreachable(SQLException e) {
        return SqlFault.of(e) == SqlFault.UNAVAILABLE;
    }

    /** Opens the transaction that holds the lock: SQLite's write lock, PostgreSQL's advisory lock. */
    private void begin() throws SQLException {
        long waitMs = Math.max(1, lockWait.toMillis());
        switch (dialect) {
            case SQLITE -> {
                try (Statement st = c.createStatement()) {
                    if (busyBefore < 0) {
                        try (ResultSet rs = st.executeQuery("PRAGMA busy_timeout")) {
                            busyBefore = rs.next() ? rs.getLong(1) : 0;
                        }
                    }
                    st.execute("PRAGMA busy_timeout = " + waitMs);
                    st.execute("BEGIN IMMEDIATE");
                } catch (SQLException e) {
                    end();
                    throw busy(e) ? new MigrationException(dbName + " stayed locked for " + waitMs + " ms (another instance "
                            + "applying migrations, or a long write): try again", e) : e;
                }
            }
            case POSTGRESQL -> {
                // READ COMMITTED whatever db.isolation says: at REPEATABLE READ or SERIALIZABLE the
                // snapshot would be taken before the lock is held, and the history read under the
                // lock would miss what the instance that held it just applied.
                if (isolationBefore < 0) isolationBefore = c.getTransactionIsolation();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = " + waitMs);
                    st.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK_KEY + ")");
                } catch (SQLException e) {
                    c.rollback();
                    end();
                    throw "55P03".equals(e.getSQLState()) ? new MigrationException("another instance held the migration lock of "
                            + dbName + " for " + waitMs + " ms: try again", e) : e;
                }
            }
        }
    }

    private void commit() throws SQLException {
        switch (dialect) {
            case SQLITE -> {
                try (Statement st = c.createStatement()) {
                    st.execute("COMMIT");
                }
            }
            case POSTGRESQL -> c.commit();
        }
    }

    /** Ends a transaction that failed; a failure here is secondary to the one being thrown. */
    private void rollback() {
        try {
            switch (dialect) {
                case SQLITE -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("ROLLBACK"); // outside a transaction it fails harmlessly
                    }
                }
                case POSTGRESQL -> c.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is closed or broken: the transaction ends with it
        }
    }

    /**
     * Leaves the connection as it was given: auto-commit on, the pool's busy timeout. A failure
     * here (a broken connection) is not thrown over the one that may be on its way: the pool
     * resets or drops the connection when it is given back.
     */
    private void end() {
        try {
            switch (dialect) {
                case SQLITE -> restoreBusyTimeout();
                case POSTGRESQL -> {
                    c.setAutoCommit(true);
                    if (isolationBefore >= 0) c.setTransactionIsolation(isolationBefore);
                }
            }
        } catch (SQLException ignored) {
            // see above
        }
    }

    private void restoreBusyTimeout() throws SQLException {
        if (busyBefore < 0) return;
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + busyBefore);
        }
    }

    /** SQLITE_BUSY (5), with any extended code. */
    private static boolean busy(SQLException e) {
        if (e instanceof org.sqlite.SQLiteException s && (s.getErrorCode() & 0xff) == 5) return true;
        return e.getMessage() != null && e.getMessage().contains("database is locked");
    }
}

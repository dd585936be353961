package dev.manaknight.runtime.effects;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.manaknight.runtime.config.Isolation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.sqlite.SQLiteOpenMode;

/**
 * A HikariCP pool over SQLite (`sqlite:path`) or PostgreSQL (`postgresql://…`), with the platform
 * threads that make its calls ({@link JdbcThreads}) and its timeouts derived from the request's
 * ({@link PoolTimeouts}). A SQLite file is watched ({@link SqliteFile}) and never created after
 * start: the pool opens it without SQLite's create flag.
 */
public final class PooledDatabase implements Database {
    private final HikariDataSource pool;
    /** SQLite only: pgjdbc already keeps server-side prepared statements per connection. */
    private final StatementCache statements;
    /** SQLite with a file only. */
    private final SqliteFile file;
    private final JdbcThreads threads;
    /** SQLite only: statements are interrupted by the guard, and reads start on the request's thread. */
    private final StatementGuard guard;

    private PooledDatabase(HikariDataSource pool, StatementCache statements, SqliteFile file, JdbcThreads threads,
                           StatementGuard guard) {
        this.pool = pool;
        this.statements = statements;
        this.file = file;
        this.threads = threads;
        this.guard = guard;
    }

    /**
     * Opens a pool for a config URL; relative SQLite paths must already be resolved. A missing
     * SQLite file is created here, with a WARN ({@link SqliteFile#createIfMissing}).
     *
     * @param size           connections (`db.pool`)
     * @param requestTimeout `limits.timeout`, which the pool's timeouts are derived from
     * @param requests       the requests that may run at once (`server.workers`): threads that may wait
     *                       for a connection ({@link JdbcThreads})
     * @param isolation      PostgreSQL's level for every transaction (SQLite's are serializable anyway)
     * @param connect        `db.connect_timeout`: a request's wait for a connection
     */
    public static PooledDatabase open(String url, int size, Duration requestTimeout, int requests, Isolation isolation,
                                      Duration connect) throws SQLException {
        PoolTimeouts t = PoolTimeouts.of(requestTimeout, connect);
        var cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl(url));
        cfg.setMaximumPoolSize(size);
        // A fixed-size pool (HikariCP's own advice): a request's wait for a connection is never
        // a connection being opened. With a floor of 2, every burst grew the pool one connection
        // at a time on the pool's single filler thread, on a machine the burst saturates, and
        // idle connections were closed again after 10 minutes (the likeliest cause of the one
        // neighbour POST in 62,446 answered 503 database-unavailable in a 30-minute soak).
        cfg.setMinimumIdle(size);
        cfg.setPoolName("manaknight-db");
        cfg.setConnectionTimeout(t.acquireMs());
        cfg.setValidationTimeout(t.validationMs());
        boolean sqlite = url.startsWith("sqlite:");
        if (!sqlite) cfg.setTransactionIsolation(isolation.hikariName());
        // A connection to a local file has nothing to outlive (no server-side limit, no proxy):
        // never retired, so no replacement is ever opened under load. PostgreSQL's keep
        // HikariCP's 30 minutes, one at a time while the others serve.
        if (sqlite) cfg.setMaxLifetime(0);
        Path path = SqliteFile.pathOf(url);
        Properties props = sqlite ? sqliteProperties(t.sqliteBusyMs()) : postgresProperties(t);
        if (path != null) {
            SqliteFile.createIfMissing(path, props);
            props.setProperty("open_mode", String.valueOf(SQLiteOpenMode.READWRITE.flag)); // never create it again
        }
        cfg.setDataSourceProperties(props);
        var ds = new HikariDataSource(cfg);
        try {
            SqliteFile watched = path == null ? null : new SqliteFile(path, connections(ds, cfg.getMinimumIdle()));
            return new PooledDatabase(ds, sqlite ? new StatementCache() : null, watched, new JdbcThreads(size, requests),
                    sqlite ? new StatementGuard() : null);
        } catch (SQLException | RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /** A pool with the default isolation level and connect timeout. */
    public static PooledDatabase open(String url, int size, Duration requestTimeout, int requests) throws SQLException {
        return open(url, size, requestTimeout, requests, Isolation.DEFAULT, PoolTimeouts.DEFAULT_CONNECT);
    }

    /** The pool's connections as a watched SQLite file handles them. */
    private static SqliteFile.Connections connections(HikariDataSource ds, int minimumIdle) {
        return new SqliteFile.Connections() {
            @Override public void closeAll() {
                ds.getHikariConfigMXBean().setMinimumIdle(0); // the pool's filler opens none meanwhile
                ds.getHikariPoolMXBean().softEvictConnections();
            }

            @Override public int open() { return ds.getHikariPoolMXBean().getTotalConnections(); }

            @Override public void reopen() { ds.getHikariConfigMXBean().setMinimumIdle(minimumIdle); }
        };
    }

    /**
     * SQLite's connection settings: WAL lets readers run beside one writer; the busy timeout
     * queues writers. Generated keys are off: nothing asks for them (an insert that needs its id
     * says `RETURNING`), and with them on the driver matches every statement's text against a
     * regular expression and runs `SELECT last_insert_rowid()` after each insert.
     */
    static Properties sqliteProperties(long busyMs) {
        var p = new Properties();
        p.setProperty("jdbc.get_generated_keys", "false");
        p.setProperty("journal_mode", "WAL");
        p.setProperty("busy_timeout", String.valueOf(busyMs));
        p.setProperty("foreign_keys", "true");
        return p;
    }

    static Properties postgresProperties(PoolTimeouts t) {
        var p = new Properties();
        p.setProperty("connectTimeout", String.valueOf(t.connectSeconds()));
        p.setProperty("loginTimeout", String.valueOf(t.connectSeconds()));
        p.setProperty("cancelSignalTimeout", String.valueOf(t.connectSeconds()));
        p.setProperty("socketTimeout", String.valueOf(t.socketSeconds()));
        // The server's own backstop: a statement whose cancel never arrived (the process was
        // killed, the cancel connection failed) would otherwise run on the server for as long as
        // it likes; a transaction left idle by a vanished client would hold its locks.
        p.setProperty("options", "-c statement_timeout=" + t.serverMs() + " -c idle_in_transaction_session_timeout=" + t.serverMs());
        return p;
    }

    /**
     * The database for the log, without credentials: `the database file /srv/app.db`, `the
     * database postgresql://db.internal:5432/app`.
     */
    public static String describe(String url) {
        Path path = SqliteFile.pathOf(url);
        if (path != null) return "the database file " + path.toAbsolutePath();
        String u = url.indexOf('?') >= 0 ? url.substring(0, url.indexOf('?')) : url;
        int scheme = u.indexOf("://");
        int at = u.indexOf('@');
        if (scheme >= 0 && at > scheme) u = u.substring(0, scheme + 3) + u.substring(at + 1);
        return "the database " + u;
    }

    /** `sqlite:app.db` → `jdbc:sqlite:app.db`; `postgresql://h/db` (or `postgres://`) → `jdbc:postgresql://h/db`. */
    public static String jdbcUrl(String url) {
        if (url.startsWith("sqlite:")) return "jdbc:" + url;
        if (url.startsWith("postgresql://")) return "jdbc:" + url;
        if (url.startsWith("postgres://")) return "jdbc:postgresql://" + url.substring("postgres://".length());
        if (url.startsWith("jdbc:")) return url;
        throw new IllegalArgumentException("unsupported database url `" + url + "`: use sqlite:PATH or postgresql://…");
    }

    @Override public Connection acquire() throws SQLException {
        if (file != null) file.check(false);
        return pool.getConnection();
    }

    @Override public void release(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool evicts a broken connection by itself
        }
    }

    @Override public void evict(Connection c) {
        if (file != null) file.suspect();
        pool.evictConnection(c);
    }

    @Override public void beforeCommit() throws SQLException {
        if (file != null) file.check(true); // one stat: no write is acknowledged into a file that is gone
    }

    @Override public JdbcThreads threads() { return threads; }

    @Override public StatementGuard statementGuard() { return guard; }

    @Override public PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return statements == null ? c.prepareStatement(sql) : statements.prepare(c, sql);
    }

    @Override public void done(Connection c, String sql, PreparedStatement ps) {
        if (statements == null) Database.super.done(c, sql, ps);
        else statements.release(c, sql, ps);
    }

    /** Statements kept by the cache (0 without one), for tests. */
    int cachedStatements() { return statements == null ? 0 : statements.size(); }

    /** Connections open now, busy or idle (tests). */
    int openConnections() { return pool.getHikariPoolMXBean().getTotalConnections(); }

    /** Connections held by transactions now (tests). */
    int busyConnections() { return pool.getHikariPoolMXBean().getActiveConnections(); }

    @Override public void close() {
        threads.close();
        pool.close();
    }
}

package dev.manaknight.runtime.effects;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A HikariCP pool over SQLite (`sqlite:path`) or PostgreSQL (`postgresql://…`), the two URL
 * forms `db.url` takes.
 */
public final class PooledDatabase implements Database {
    /** How long a SQLite writer waits for another's lock before the query fails. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 5000;

    private final HikariDataSource pool;
    /** SQLite only: pgjdbc already keeps server-side prepared statements per connection. */
    private final StatementCache statements;

    private PooledDatabase(HikariDataSource pool, StatementCache statements) {
        this.pool = pool;
        this.statements = statements;
    }

    /** Opens a pool for a config URL; relative SQLite paths must already be resolved. */
    public static PooledDatabase open(String url, int size) {
        var cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl(url));
        cfg.setMaximumPoolSize(size);
        cfg.setMinimumIdle(Math.min(size, 2));
        cfg.setPoolName("manaknight-db");
        if (url.startsWith("sqlite:")) {
            // WAL lets readers run beside one writer; the busy timeout queues writers.
            cfg.addDataSourceProperty("journal_mode", "WAL");
            cfg.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
            cfg.addDataSourceProperty("foreign_keys", "true");
        }
        return new PooledDatabase(new HikariDataSource(cfg), url.startsWith("sqlite:") ? new StatementCache() : null);
    }

    /** `sqlite:app.db` → `jdbc:sqlite:app.db`; `postgresql://h/db` (or `postgres://`) → `jdbc:postgresql://h/db`. */
    public static String jdbcUrl(String url) {
        if (url.startsWith("sqlite:")) return "jdbc:" + url;
        if (url.startsWith("postgresql://")) return "jdbc:" + url;
        if (url.startsWith("postgres://")) return "jdbc:postgresql://" + url.substring("postgres://".length());
        if (url.startsWith("jdbc:")) return url;
        throw new IllegalArgumentException("unsupported database url `" + url + "`: use sqlite:PATH or postgresql://…");
    }

    @Override public Connection acquire() throws SQLException { return pool.getConnection(); }

    @Override public void release(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool evicts a broken connection by itself
        }
    }

    @Override public PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return statements == null ? c.prepareStatement(sql) : statements.prepare(c, sql);
    }

    @Override public void done(Connection c, String sql, PreparedStatement ps) {
        if (statements == null) Database.super.done(c, sql, ps);
        else statements.release(c, sql, ps);
    }

    /** Statements kept by the cache (0 without one), for tests. */
    int cachedStatements() { return statements == null ? 0 : statements.size(); }

    @Override public void close() { pool.close(); }
}

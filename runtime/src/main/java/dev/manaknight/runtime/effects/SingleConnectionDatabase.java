package dev.manaknight.runtime.effects;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * One connection, never closed until the database is: CGI's database (one request per process)
 * and a fresh in-memory SQLite database for `manaknight test` and unit tests. Used by one request
 * at a time; its calls run on the caller's thread.
 */
public final class SingleConnectionDatabase implements Database {
    private final Connection connection;

    public SingleConnectionDatabase(Connection connection) {
        this.connection = connection;
    }

    /**
     * A new, empty, private in-memory SQLite database; foreign keys are enforced, as on a
     * server's database (so `manaknight test` meets the same `DbError.foreignKey`).
     */
    public static SingleConnectionDatabase inMemorySqlite() {
        var props = new Properties();
        props.setProperty("foreign_keys", "true");
        props.setProperty("jdbc.get_generated_keys", "false"); // as PooledDatabase.sqliteProperties
        try {
            return new SingleConnectionDatabase(DriverManager.getConnection("jdbc:sqlite::memory:", props));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open an in-memory SQLite database: " + e.getMessage(), e);
        }
    }

    /**
     * CGI's database (and `manaknight migrate`'s): one plain connection to a config URL (no pool to
     * start and stop), a missing SQLite file created with a WARN, then {@link Schema#prepare}: the
     * migrations applied, or the schema when the database has no tables. Either may be null.
     */
    public static Database open(String url, Duration requestTimeout, Duration connectTimeout, Path schema, Path migrations)
            throws SQLException, IOException {
        return Schema.prepare(connect(url, requestTimeout, connectTimeout), schema, migrations, PooledDatabase.describe(url));
    }

    /**
     * One plain connection to a config URL with the pool's settings and timeouts, derived from
     * `limits.timeout` and `db.connect_timeout` (PoolTimeouts): SQLite's busy timeout,
     * PostgreSQL's connect, login, cancel and socket timeouts. A missing SQLite file is created
     * with a WARN.
     */
    public static SingleConnectionDatabase connect(String url, Duration requestTimeout, Duration connectTimeout)
            throws SQLException {
        String jdbc = PooledDatabase.jdbcUrl(url);
        PoolTimeouts t = PoolTimeouts.of(requestTimeout, connectTimeout);
        Properties props = PooledDatabase.postgresProperties(t);
        if (jdbc.startsWith("jdbc:sqlite:")) {
            props = PooledDatabase.sqliteProperties(t.sqliteBusyMs());
            Path path = SqliteFile.pathOf(url);
            if (path != null) SqliteFile.createIfMissing(path, props);
        }
        return new SingleConnectionDatabase(DriverManager.getConnection(jdbc, props));
    }

    @Override public Connection acquire() { return connection; }

    @Override public void release(Connection c) {}

    /** The one connection stays: its transaction is ended as well as it can be. */
    @Override public void evict(Connection c) {
        try {
            c.rollback();
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the next request fails on it the same way
        }
    }

    @Override public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing an in-memory database cannot lose anything
        }
    }
}

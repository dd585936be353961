package dev.manaknight.runtime.effects;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A database opened at its first {@link #acquire}: what `manaknight cgi` uses, so that a process
 * whose one request never queries (a route without `db`, a 404, a 400 from the router) does not
 * load the JDBC driver, open the file or check the schema. Opening fails the way a query does:
 * with a SQLException, so the request that needed it fails alone (500 `effect-failed`, the reason
 * in the log). One request at a time; not for a server, where a pool is opened and checked at
 * start.
 */
public final class LazyDatabase implements Database {
    /** Opens the real database (driver, connection, schema). */
    @FunctionalInterface
    public interface Opener {
        Database open() throws SQLException, IOException;
    }

    private final Opener opener;
    private Database db;

    public LazyDatabase(Opener opener) { this.opener = opener; }

    /** True once something asked for a connection and the database was opened. */
    public boolean opened() { return db != null; }

    @Override public Connection acquire() throws SQLException {
        if (db == null) {
            try {
                db = opener.open();
            } catch (IOException e) {
                throw new SQLException("cannot open the database: " + e.getMessage(), e);
            }
        }
        return db.acquire();
    }

    @Override public void release(Connection c) { db.release(c); }

    @Override public void evict(Connection c) { db.evict(c); }

    @Override public void beforeCommit() throws SQLException {
        if (db != null) db.beforeCommit();
    }

    @Override public PreparedStatement prepare(Connection c, String sql) throws SQLException { return db.prepare(c, sql); }

    @Override public void done(Connection c, String sql, PreparedStatement ps) { db.done(c, sql, ps); }

    @Override public void close() {
        if (db != null) db.close();
    }
}

package dev.manaknight.runtime.effects;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A request's one database transaction: begun lazily at the first query, ended by
 * {@link #commit} or {@link #rollback}, and the connection given back either way.
 */
public final class Transaction {
    private final Database db;
    private Connection connection;

    public Transaction(Database db) {
        this.db = db;
    }

    /** The connection, opening the transaction on first use. */
    public Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = db.acquire();
            try {
                c.setAutoCommit(false);
            } catch (SQLException e) {
                db.release(c);
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    public boolean open() { return connection != null; }

    /** A statement for `sql` in this transaction (opening it); give it back with {@link #done}. */
    public PreparedStatement prepare(String sql) throws SQLException { return db.prepare(connection(), sql); }

    /** The statement's use is over (see {@link Database#done}). */
    public void done(String sql, PreparedStatement ps) { db.done(connection, sql, ps); }

    public void commit() throws SQLException {
        if (connection == null) return;
        try {
            connection.commit();
        } catch (SQLException e) {
            rollback();
            throw e;
        }
        close();
    }

    public void rollback() {
        if (connection == null) return;
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is likely broken; the pool will discard it
        }
        close();
    }

    private void close() {
        Connection c = connection;
        connection = null;
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // a broken connection goes back broken; the pool tests it
        }
        db.release(c);
    }
}

package dev.manaknight.runtime.effects;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One connection, never closed until the database is: a fresh in-memory SQLite database for
 * `manaknight test` and unit tests. Used by one request at a time.
 */
public final class SingleConnectionDatabase implements Database {
    private final Connection connection;

    public SingleConnectionDatabase(Connection connection) {
        this.connection = connection;
    }

    /** A new, empty, private in-memory SQLite database. */
    public static SingleConnectionDatabase inMemorySqlite() {
        try {
            return new SingleConnectionDatabase(DriverManager.getConnection("jdbc:sqlite::memory:"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open an in-memory SQLite database: " + e.getMessage(), e);
        }
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

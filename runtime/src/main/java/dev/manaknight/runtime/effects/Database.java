package dev.manaknight.runtime.effects;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Where the `db` effect gets connections: a pool in a server, one connection for CGI and tests.
 * A {@link Transaction} makes every call through it.
 */
public interface Database extends AutoCloseable {
    /** A connection with auto-commit on; give it back with {@link #release} or {@link #evict}. */
    Connection acquire() throws SQLException;

    void release(Connection c);

    /** Gives back a connection that cannot be trusted any more: closed, and out of the pool. */
    default void evict(Connection c) { release(c); }

    /**
     * Called just before a commit, on the thread that commits: throws {@link DatabaseUnavailable}
     * when the database is no longer the one the server opened (a SQLite file deleted or replaced).
     */
    default void beforeCommit() throws SQLException {}

    /** The platform threads that make this database's calls, or null: on the caller's thread. */
    default JdbcThreads threads() { return null; }

    /**
     * What watches this database's running statements ({@link StatementGuard}: SQLite), or null;
     * with one, a short read may run on the caller's thread.
     */
    default StatementGuard statementGuard() { return null; }

    /** A statement for `sql` on `c` (a connection from {@link #acquire}); give it back with {@link #done}. */
    default PreparedStatement prepare(Connection c, String sql) throws SQLException { return c.prepareStatement(sql); }

    /** The statement's use is over: closed, or kept ready for the next request (a statement cache). */
    default void done(Connection c, String sql, PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // nothing more to free
        }
    }

    @Override void close();
}

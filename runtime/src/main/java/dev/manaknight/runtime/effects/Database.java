package dev.manaknight.runtime.effects;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Where the `db` effect gets connections: a pool in a server, one in-memory connection in tests. */
public interface Database extends AutoCloseable {
    /** A connection with auto-commit on; give it back with {@link #release}. */
    Connection acquire() throws SQLException;

    void release(Connection c);

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

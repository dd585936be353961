package dev.manaknight.runtime.effects;

import java.sql.Connection;
import java.sql.SQLException;

/** Where the `db` effect gets connections: a pool in a server, one in-memory connection in tests. */
public interface Database extends AutoCloseable {
    /** A connection with auto-commit on; give it back with {@link #release}. */
    Connection acquire() throws SQLException;

    void release(Connection c);

    @Override void close();
}

package dev.manaknight.runtime.effects;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements kept per physical connection, by SQL text.
 *
 * <p>sqlite-jdbc compiles the SQL on every {@code prepareStatement} (sqlite3_prepare_v2, the
 * biggest part of a one-row query) and keeps no cache, and HikariCP closes the statements made
 * through a connection when it goes back to the pool. So statements are prepared on the physical
 * connection unwrapped from the pool's proxy, where they live as long as it does, and every
 * request that later holds that connection reuses them. A connection is held by one request at a
 * time, so its own map needs no lock. Each connection keeps at most {@link #PER_CONNECTION}
 * statements, least recently used first out. Connections the pool has retired (closed) are
 * dropped from the cache ({@link PerConnection}).
 */
final class StatementCache {
    /** An app has a fixed set of queries; this only bounds a pathological one. */
    static final int PER_CONNECTION = 256;

    private final PerConnection<Map<String, PreparedStatement>> byConnection = new PerConnection<>(c -> lru());

    /** A statement for `sql` on the physical connection behind `pooled`; give it back with {@link #release}. */
    PreparedStatement prepare(Connection pooled, String sql) throws SQLException {
        Connection physical = pooled.unwrap(Connection.class);
        Map<String, PreparedStatement> statements = byConnection.of(physical);
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = physical.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /**
     * Makes a used statement ready for the next request: its result closed, its parameters
     * cleared. A statement that cannot be reset is closed and forgotten.
     */
    void release(Connection pooled, String sql, PreparedStatement ps) {
        try {
            ResultSet rs = ps.getResultSet();
            if (rs != null) rs.close();
            ps.clearParameters();
        } catch (SQLException e) {
            forget(pooled, sql, ps);
        }
    }

    private void forget(Connection pooled, String sql, PreparedStatement ps) {
        try {
            byConnection.of(pooled.unwrap(Connection.class)).remove(sql, ps);
        } catch (SQLException ignored) {
            // the connection is broken: the sweep drops it once the pool has closed it
        }
        try {
            ps.close();
        } catch (SQLException ignored) {
            // nothing more to free
        }
    }

    /** Statements this cache holds, over all connections (for tests). */
    int size() {
        int n = 0;
        for (Map<String, PreparedStatement> m : byConnection.values()) n += m.size();
        return n;
    }

    private static Map<String, PreparedStatement> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() <= PER_CONNECTION) return false;
                try {
                    eldest.getValue().close();
                } catch (SQLException ignored) {
                    // nothing more to free
                }
                return true;
            }
        };
    }
}

package dev.manaknight.runtime.effects;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values kept per physical connection (the one under the pool's proxy, which lives as long as the
 * pool keeps it), found without a lock, and dropped once the pool has closed the connection: a
 * sweep every {@link #SWEEP_EVERY} lookups.
 */
final class PerConnection<V> {
    static final int SWEEP_EVERY = 4096;

    /** Makes the value of a connection seen for the first time. */
    @FunctionalInterface
    interface Maker<V> {
        V make(Connection physical) throws SQLException;
    }

    private final Map<Connection, V> values = new ConcurrentHashMap<>();
    private final Maker<V> maker;
    private int untilSweep = SWEEP_EVERY; // racy by design: a sweep a little early or late is harmless

    PerConnection(Maker<V> maker) { this.maker = maker; }

    /** The value of `physical`, made on first use. */
    V of(Connection physical) throws SQLException {
        if (--untilSweep <= 0) sweep();
        V v = values.get(physical);
        if (v == null) {
            v = maker.make(physical);
            V earlier = values.putIfAbsent(physical, v);
            if (earlier != null) v = earlier;
        }
        return v;
    }

    /** Every value kept now (for tests and size counts). */
    Iterable<V> values() { return values.values(); }

    private void sweep() {
        untilSweep = SWEEP_EVERY;
        values.keySet().removeIf(c -> {
            try {
                return c.isClosed();
            } catch (SQLException e) {
                return true;
            }
        });
    }
}

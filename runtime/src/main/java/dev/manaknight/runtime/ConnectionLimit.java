package dev.manaknight.runtime;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.manaknight.runtime.config.Config;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * How many connections a server keeps open at once: `server.max_connections`, or when that is 0
 * what the process's file-descriptor limit leaves. A server out of descriptors fails `accept`
 * with EMFILE over and over, and then cannot open a log or a database file either; one that
 * refuses past a limit it can afford stays well. `fpm` closes such a connection unread, `serve`
 * answers it 503.
 */
public final class ConnectionLimit {
    /** The automatic limit's ceiling. */
    public static final int AUTOMATIC_MAX = 4096;
    /** The automatic limit's floor, however low the file-descriptor limit. */
    static final int AUTOMATIC_MIN = 16;
    /** Descriptors kept spare beside those open at start and the database pools. */
    static final int SPARE = 64;

    private ConnectionLimit() {}

    /** The limit for {@code config} in this process. */
    public static int of(Config config) {
        int configured = config.server().maxConnections();
        if (configured > 0) return configured;
        return (int) Math.max(AUTOMATIC_MIN, Math.min(AUTOMATIC_MAX, room(config).orElse(Long.MAX_VALUE)));
    }

    /** A warning when a configured `max_connections` is more than the file-descriptor limit leaves. */
    public static Optional<String> shortfall(Config config) {
        int configured = config.server().maxConnections();
        return room(config).filter(room -> configured > room).map(room -> "server.max_connections = " + configured
                + ", but the file-descriptor limit leaves room for about " + Math.max(room, 0)
                + ": raise it (LimitNOFILE= in the systemd unit, ulimit -n)");
    }

    /**
     * Descriptors left for connections: the limit, less those open now, two database pools (a
     * reload opens the new pool before the old one closes) and {@link #SPARE}. Empty where the JVM
     * cannot tell.
     */
    static Optional<Long> room(Config config) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os)) return Optional.empty();
        return Optional.of(os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 2L * config.db().pool() - SPARE);
    }
}

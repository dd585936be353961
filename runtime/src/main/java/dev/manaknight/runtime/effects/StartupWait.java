package dev.manaknight.runtime.effects;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's start while its PostgreSQL is out of reach (`db.startup_wait`, issue 17): opening
 * the database is tried again with a doubling pause, for at most the wait, and the log says so;
 * past it the last failure is thrown, so the start fails as it did without a wait. Only a
 * failure that means "out of reach" ({@link SqlFault#UNAVAILABLE}: refused, reset, timed out,
 * starting up, too many connections) is waited for; a wrong password or a missing database fails
 * at once. A SQLite file is local: never waited for.
 */
public final class StartupWait {
    private static final Logger LOG = LoggerFactory.getLogger("manaknight");
    /** The first pause; each next one doubles, up to {@link #MAX_PAUSE}. */
    static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    /** Long enough not to hammer a database that is starting, short enough to start soon after it is up. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    /** What is opened: the pool with its schema or migrations applied. */
    public interface Opener<T> {
        T open() throws IOException, SQLException;
    }

    private StartupWait() {}

    /**
     * Opens with `open`, again while the database at `url` is out of reach, for at most `wait`
     * (zero: once).
     */
    public static <T> T open(String url, Duration wait, Opener<T> open) throws IOException, SQLException {
        return open(url, wait, FIRST_PAUSE, open);
    }

    static <T> T open(String url, Duration wait, Duration firstPause, Opener<T> open) throws IOException, SQLException {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        long pause = firstPause.toNanos();
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                T opened = open.open();
                if (attempts > 1)
                    LOG.info("{} is reachable: started after {} ms and {} attempts", PooledDatabase.describe(url),
                            (System.nanoTime() - start) / 1_000_000, attempts);
                return opened;
            } catch (SQLException | RuntimeException e) {
                long left = deadline - System.nanoTime();
                if (!outOfReach(url, e) || left <= 0) {
                    if (attempts > 1)
                        LOG.error("{} is still out of reach after {} ms (db.startup_wait): giving up",
                                PooledDatabase.describe(url), (System.nanoTime() - start) / 1_000_000);
                    throw e;
                }
                if (attempts == 1)
                    LOG.warn("{} is out of reach ({}): not listening yet, trying again for up to {} ms (db.startup_wait)",
                            PooledDatabase.describe(url), reason(e), wait.toMillis());
                else LOG.debug("{} still out of reach: {}", PooledDatabase.describe(url), reason(e));
                try {
                    Thread.sleep(Duration.ofNanos(Math.min(pause, left)));
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(pause * 2, MAX_PAUSE.toNanos());
            }
        }
    }

    /** True when `e` (or a cause) says the PostgreSQL server could not be reached. */
    static boolean outOfReach(String url, Throwable e) {
        if (url.startsWith("sqlite:")) return false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && SqlFault.of(s) == SqlFault.UNAVAILABLE) return true;
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}

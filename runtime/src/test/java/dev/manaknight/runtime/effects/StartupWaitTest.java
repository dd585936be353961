package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 17: which start failures `db.startup_wait` waits out, and for how long. */
class StartupWaitTest {
    static final String PG = "postgresql://127.0.0.1:1/app?user=u&password=secret";
    static final Duration PAUSE = Duration.ofMillis(1);

    static SQLException refused() {
        return new SQLException("Connection to 127.0.0.1:1 refused", "08001");
    }

    @Test void aDatabaseOutOfReachIsTriedAgainUntilItAnswers() throws Exception {
        var attempts = new AtomicInteger();
        String opened = StartupWait.open(PG, Duration.ofSeconds(30), PAUSE, () -> {
            if (attempts.incrementAndGet() < 4) throw new RuntimeException("pool", refused()); // as HikariCP wraps it
            return "open";
        });
        assertEquals("open", opened);
        assertEquals(4, attempts.get());
    }

    /** At the limit: a zero wait is one attempt, and its failure is thrown as is. */
    @Test void noWaitIsOneAttempt() {
        var attempts = new AtomicInteger();
        SQLException e = refused();
        assertSame(e, assertThrows(SQLException.class, () -> StartupWait.open(PG, Duration.ZERO, PAUSE, () -> {
            attempts.incrementAndGet();
            throw e;
        })));
        assertEquals(1, attempts.get());
    }

    /** Past the limit: the last failure is thrown once the wait is spent, not before. */
    @Test void theWaitSpentTheLastFailureIsThrown() {
        var attempts = new AtomicInteger();
        long t0 = System.nanoTime();
        assertThrows(SQLException.class, () -> StartupWait.open(PG, Duration.ofMillis(300), PAUSE, () -> {
            attempts.incrementAndGet();
            throw refused();
        }));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 300, "waited " + ms + " ms");
        assertTrue(attempts.get() > 2, "tried again: " + attempts.get());
    }

    /** A wrong password or a missing database will not mend itself; a SQLite file is local. */
    @Test void onlyOutOfReachIsWaitedFor() {
        for (String state : new String[] {"28P01", "3D000", "42P01"}) {
            var attempts = new AtomicInteger();
            assertThrows(SQLException.class, () -> StartupWait.open(PG, Duration.ofSeconds(30), PAUSE, () -> {
                attempts.incrementAndGet();
                throw new SQLException("no", state);
            }));
            assertEquals(1, attempts.get(), state);
        }
        var attempts = new AtomicInteger();
        assertThrows(SQLException.class, () -> StartupWait.open("sqlite:/nowhere/app.db", Duration.ofSeconds(30), PAUSE, () -> {
            attempts.incrementAndGet();
            throw refused();
        }));
        assertEquals(1, attempts.get());
        for (String state : new String[] {"08001", "08006", "57P03", "53300"})
            assertTrue(StartupWait.outOfReach(PG, new SQLException("x", state)), state);
        assertTrue(StartupWait.outOfReach(PG, new RuntimeException(new java.net.ConnectException("refused"))));
    }
}

package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    @Test void letsTheFirstThroughThenOnePerInterval() throws Exception {
        var t = new LogThrottle(Duration.ofMillis(200));
        assertTrue(t.due());
        assertFalse(t.due());
        assertFalse(t.due());
        Thread.sleep(250);
        assertTrue(t.due());
        assertFalse(t.due());
    }
}

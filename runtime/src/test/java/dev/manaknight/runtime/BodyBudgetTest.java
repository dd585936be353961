package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BodyBudgetTest {
    @Test void takesUpToTheLimitAndNotOneBytePast() {
        var b = new BodyBudget(100);
        assertTrue(b.take(60));
        assertTrue(b.take(40), "exactly at the limit");
        assertFalse(b.take(1), "one byte past it");
        assertEquals(100, b.held(), "a refused take takes nothing");
        b.give(40);
        assertTrue(b.take(40));
        assertTrue(b.take(0), "nothing is always affordable");
    }

    @Test void concurrentTakersNeverOvershoot() throws Exception {
        var b = new BodyBudget(1000);
        var granted = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) pool.submit(() -> {
                for (int k = 0; k < 10_000; k++) if (b.take(7)) granted.incrementAndGet();
            });
        }
        assertEquals(1000 / 7, granted.get());
        assertEquals(1000 / 7 * 7, b.held());
    }
}

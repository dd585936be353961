package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.runtime.config.ConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HeapBudgetTest {
    @Test void theDefaultsFitTheLaunchersDefaultHeapAndLargeLimitsSaySo() throws Exception {
        var defaults = ConfigLoader.parse(Path.of("x.toml"), "", null);
        assertTrue(HeapBudget.needed(defaults) < 128L << 20, "8 workers x 256 KB: " + HeapBudget.needed(defaults));
        assertTrue(HeapBudget.shortfall(defaults, 128L << 20).isEmpty());
        var big = ConfigLoader.parse(Path.of("x.toml"), "[server]\nworkers = 32\n[limits]\nmemory = \"16MB\"\n", null);
        long need = HeapBudget.needed(big);
        assertEquals(HeapBudget.BASE + 32L * (16 << 20) * HeapBudget.SLACK, need);
        assertTrue(HeapBudget.shortfall(big, need).isEmpty(), "exactly enough is enough");
        String warning = HeapBudget.shortfall(big, need - 1).orElseThrow();
        assertTrue(warning.startsWith("the JVM heap (1583 MB) is smaller than 32 workers x limits.memory 16384 KB need"), warning);
        assertTrue(warning.contains("set MANAKNIGHT_HEAP"), warning);
    }
}

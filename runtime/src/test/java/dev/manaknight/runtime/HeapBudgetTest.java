package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.runtime.config.ConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HeapBudgetTest {
    @Test void theDefaultsFitTheLaunchersDefaultHeapAndLargeLimitsSaySo() throws Exception {
        var defaults = ConfigLoader.parse(Path.of("x.toml"), "", null);
        long heap = 128L << 20;
        assertTrue(HeapBudget.needed(defaults, heap) < heap, "8 workers x 256 KB and a quarter heap of bodies: "
                + HeapBudget.needed(defaults, heap));
        assertTrue(HeapBudget.shortfall(defaults, heap).isEmpty());
        var big = ConfigLoader.parse(Path.of("x.toml"),
                "[server]\nworkers = 32\nbody_budget = \"8MB\"\n[limits]\nmemory = \"16MB\"\n", null);
        long need = HeapBudget.needed(big, 1L << 30);
        assertEquals(HeapBudget.BASE + 32L * (16 << 20) * HeapBudget.SLACK + (8 << 20), need);
        assertTrue(HeapBudget.shortfall(big, need).isEmpty(), "exactly enough is enough");
        String warning = HeapBudget.shortfall(big, need - 1).orElseThrow();
        assertTrue(warning.startsWith("the JVM heap (1591 MB) is smaller than 32 workers x limits.memory 16384 KB and 8 MB"
                + " of request bodies need"), warning);
        assertTrue(warning.contains("set MANAKNIGHT_HEAP"), warning);
    }

    /** Issue 12: 400 queued 1 MB bodies (about 1 GB) passed the start-up check silently. */
    @Test void theBodiesOfEveryAdmittedRequestCountUpToTheBudget() throws Exception {
        long heap = 256L << 20;
        var capped = ConfigLoader.parse(Path.of("x.toml"), "[server]\nworkers = 8\nqueue = 1024\n", null);
        assertEquals(heap / 4, HeapBudget.bodies(capped, heap), "the automatic budget caps 1032 x 1 MB at a quarter heap");
        assertTrue(HeapBudget.shortfall(capped, heap).isEmpty());
        var unbounded = ConfigLoader.parse(Path.of("x.toml"),
                "[server]\nworkers = 8\nqueue = 400\nbody_budget = \"1GB\"\n[limits]\nbody = \"1MB\"\n", null);
        assertEquals(408L << 20, HeapBudget.bodies(unbounded, heap));
        String warning = HeapBudget.shortfall(unbounded, heap).orElseThrow();
        assertTrue(warning.contains("408 MB of request bodies"), warning);
        assertTrue(warning.contains("server.body_budget"), warning);
    }

    @Test void aBodyLimitPastAThirdOfTheMemoryLimitIsSaidAtStart() throws Exception {
        var defaults = ConfigLoader.parse(Path.of("x.toml"), "", null);
        assertTrue(Deployment.bodyPastMemory(defaults).isEmpty(), "the defaults fit");
        var third = ConfigLoader.parse(Path.of("x.toml"), "[limits]\nmemory = \"3MB\"\nbody = \"1MB\"\n", null);
        assertTrue(Deployment.bodyPastMemory(third).isEmpty(), "exactly a third");
        var past = ConfigLoader.parse(Path.of("x.toml"), "[limits]\nmemory = \"256KB\"\nbody = \"1MB\"\n", null);
        String w = Deployment.bodyPastMemory(past).orElseThrow();
        assertTrue(w.contains("raise limits.memory to at least 3072 KB"), w);
    }

    @Test void theBudgetIsNeverSmallerThanOneBody() throws Exception {
        var cfg = ConfigLoader.parse(Path.of("x.toml"), "[server]\nbody_budget = \"1KB\"\n[limits]\nbody = \"64KB\"\n", null);
        assertEquals(64 << 10, cfg.server().bodyBudget(256L << 20, cfg.limits().body()));
        var auto = ConfigLoader.parse(Path.of("x.toml"), "", null);
        assertEquals(64L << 20, auto.server().bodyBudget(256L << 20, auto.limits().body()));
    }
}

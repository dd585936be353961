package dev.manaknight.http;

import static dev.manaknight.http.LiveStatusTest.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each per-request limit over a real socket: the broken request ends in a quick 500 naming the
 * limit while other requests are served at the same time; fuel and memory exactly at the limit.
 */
class LiveLimitsTest {
    /** A limit must stop a request this quickly (generous: the machine is shared with other builds). */
    static final long QUICK_MS = 3000;

    @TempDir Path dir;
    private LiveApp app;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach void stop() {
        pool.shutdownNow();
        if (app != null) app.close();
    }

    private LiveApp restart(String toml) throws Exception {
        if (app != null) app.close();
        app = LiveApp.sqlite(dir, toml);
        return app;
    }

    private Future<HttpResponse<String>> async(String path) {
        return pool.submit((Callable<HttpResponse<String>>) () -> app.send("GET", path));
    }

    /** `path` fails with `slug` within {@link #QUICK_MS} while 40 other requests all succeed meanwhile. */
    private void failsQuicklyBesideOthers(String path, String slug) throws Exception {
        long start = System.nanoTime();
        Future<HttpResponse<String>> bad = async(path);
        var good = new ArrayList<Future<HttpResponse<String>>>();
        for (int i = 0; i < 40; i++) good.add(async(i % 2 == 0 ? "/hello" : "/items/1"));
        for (Future<HttpResponse<String>> g : good) assertEquals(200, g.get(10, TimeUnit.SECONDS).statusCode());
        HttpResponse<String> r = bad.get(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - start) / 1_000_000;
        problem(r, 500, slug);
        assertTrue(ms < QUICK_MS, path + " took " + ms + "ms");
        assertEquals(200, app.send("GET", "/hello").statusCode(), "the server still serves");
    }

    @Test void endlessLoopRunsOutOfFuel() throws Exception {
        restart("[limits]\ncpu = \"0ms\"\n");
        failsQuicklyBesideOthers("/spin", "fuel-exhausted");
    }

    @Test void endlessLoopRunsOutOfCpuWhenFuelIsAmple() throws Exception {
        restart("[limits]\ncpu = \"5ms\"\nfuel = 2000000000\n");
        failsQuicklyBesideOthers("/spin", "cpu-exhausted");
    }

    @Test void memoryBombRunsOutOfMemory() throws Exception {
        restart("");
        failsQuicklyBesideOthers("/bomb/60", "memory-exhausted");
    }

    @Test void unboundedRecursionOverflowsTheStack() throws Exception {
        restart("");
        failsQuicklyBesideOthers("/forever", "stack-overflow");
        assertEquals("100", app.send("GET", "/recurse/100").body(), "bounded recursion is fine");
    }

    @Test void wallClockTimeoutStopsTheVm() throws Exception {
        restart("[limits]\ncpu = \"0ms\"\nfuel = 2000000000\ntimeout = \"200ms\"\n");
        failsQuicklyBesideOthers("/spin", "timeout");
    }

    @Test void wallClockTimeoutCancelsARunningQuery() throws Exception {
        restart("[limits]\ntimeout = \"200ms\"\n");
        failsQuicklyBesideOthers("/slowdb", "timeout");
    }

    /** Uses at generous limits, then exactly that limit passes and one less fails. */
    @Test void fuelAtTheLimit() throws Exception {
        restart("[limits]\ncpu = \"0ms\"\n");
        var r = app.send("GET", "/loop/1000");
        assertEquals("1000", r.body());
        long used = app.entry(r).fuel();
        assertTrue(used >= 1000, "fuel used: " + used);
        assertEquals(used, app.entry(app.send("GET", "/loop/1000")).fuel(), "fuel is deterministic");

        restart("[limits]\ncpu = \"0ms\"\nfuel = " + used + "\n");
        assertEquals("1000", app.send("GET", "/loop/1000").body());
        restart("[limits]\ncpu = \"0ms\"\nfuel = " + (used - 1) + "\n");
        problem(app.send("GET", "/loop/1000"), 500, "fuel-exhausted");
        assertEquals("999", app.send("GET", "/loop/999").body(), "one iteration less fits again");
    }

    @Test void memoryAtTheLimit() throws Exception {
        restart("[limits]\nmemory = \"1MB\"\n");
        var r = app.send("GET", "/bomb/10");
        assertEquals("1024", r.body());
        long used = app.entry(r).memory();
        assertTrue(used >= 1024 * 8, "peak memory: " + used);
        assertEquals(used, app.entry(app.send("GET", "/bomb/10")).memory(), "memory is deterministic");

        restart("[limits]\nmemory = " + used + "\n");
        assertEquals("1024", app.send("GET", "/bomb/10").body());
        restart("[limits]\nmemory = " + (used - 1) + "\n");
        problem(app.send("GET", "/bomb/10"), 500, "memory-exhausted");
        assertEquals("512", app.send("GET", "/bomb/9").body(), "half the list fits again");
    }

    /** Many requests at once, each with its own VM: none sees another's locals. */
    @Test void concurrentRequestsDoNotShareState() throws Exception {
        restart("[server]\nworkers = 8\n[limits]\ncpu = \"0ms\"\n");
        var futures = new ArrayList<Future<HttpResponse<String>>>();
        List<Integer> ns = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = 1 + (i * 37) % 500;
            ns.add(n);
            futures.add(async("/loop/" + n));
        }
        for (int i = 0; i < futures.size(); i++) {
            HttpResponse<String> r = futures.get(i).get(20, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(String.valueOf(ns.get(i)), r.body());
        }
    }
}

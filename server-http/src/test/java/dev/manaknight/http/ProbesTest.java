package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: liveness, readiness and metrics on `serve`, answered without a worker; readiness turns first at a stop. */
class ProbesTest {
    @TempDir Path dir;
    private LiveApp app;

    @AfterEach void stop() {
        if (app != null) app.close();
    }

    @Test void probesAreAnsweredEvenWhenEveryWorkerIsBusy() throws Exception {
        app = LiveApp.sqlite(dir, "[server]\nworkers = 1\nqueue = 0\n[limits]\ntimeout = \"3s\"\ncpu = \"0ms\"\nfuel = 2000000000\n");
        CompletableFuture<HttpResponse<String>> busy = CompletableFuture.supplyAsync(() -> {
            try {
                return app.send("GET", "/spin");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (app.server.deployment().admission().inFlight() == 0 && System.nanoTime() < deadline) Thread.sleep(2);
        assertEquals(503, app.send("GET", "/hello").statusCode(), "the one worker is busy");
        var healthy = app.send("GET", "/-/healthy");
        assertEquals(200, healthy.statusCode());
        assertEquals("ok\n", healthy.body());
        assertEquals(200, app.send("GET", "/-/ready").statusCode());
        assertEquals(200, app.send("GET", "/-/metrics").statusCode());
        assertEquals(500, busy.get(10, TimeUnit.SECONDS).statusCode());
    }

    @Test void metricsCountRequestsByRouteAndStatusInOpenMetricsText() throws Exception {
        app = LiveApp.sqlite(dir, "");
        for (int i = 0; i < 3; i++) assertEquals(200, app.send("GET", "/hello").statusCode());
        assertEquals(404, app.send("GET", "/items/99").statusCode());
        assertEquals(404, app.send("GET", "/nowhere").statusCode());
        var r = app.send("GET", "/-/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"), r.headers().toString());
        String m = r.body();
        assertTrue(m.contains("manaknight_requests_total{route=\"GET /hello\",status=\"200\"} 3.0\n"), m);
        assertTrue(m.contains("manaknight_requests_total{route=\"GET /items/:id\",status=\"404\"} 1.0\n"), m);
        assertTrue(m.contains("manaknight_requests_total{route=\"none\",status=\"404\"} 1.0\n"), m);
        assertTrue(m.contains("manaknight_request_duration_seconds_count{route=\"GET /hello\"} 3\n"), m);
        assertTrue(m.contains("# TYPE manaknight_vm_fuel summary\n"), m);
        assertTrue(m.contains("manaknight_workers 8.0\n") || m.contains("manaknight_workers 8\n"), m);
        assertTrue(m.endsWith("# EOF\n"), m);
        // Every sample line is `name{labels} value`; every metric has a TYPE line first.
        var sample = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*})? -?[0-9.eE+-]+|[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*})? [+-]Inf|NaN");
        for (String line : m.split("\n")) {
            if (line.startsWith("#")) continue;
            assertTrue(sample.matcher(line).matches(), "not a sample line: " + line);
        }
        assertEquals(404, app.send("POST", "/-/metrics").statusCode(), "only GET and HEAD are probes: the app has no such route");
    }

    /** Issue 18: with a journal, the metrics count its records and bytes (and none dropped); without one, no such lines. */
    @Test void metricsCountJournalRecords() throws Exception {
        app = LiveApp.sqlite(dir, "[journal]\npath = \"journal\"\ndurable = true\n");
        assertEquals(200, app.send("GET", "/hello").statusCode()); // audit mode: written before the reply
        assertEquals(404, app.send("GET", "/nowhere").statusCode());
        String m = app.send("GET", "/-/metrics").body();
        assertTrue(m.contains("manaknight_journal_records_total 2.0\n"), m);
        assertTrue(m.contains("manaknight_journal_dropped_total 0.0\n"), m);
        var bytes = java.util.regex.Pattern.compile("manaknight_journal_bytes_total ([0-9.E]+)\n").matcher(m);
        assertTrue(bytes.find() && Double.parseDouble(bytes.group(1)) > 0, m);
        app.close();
        app = LiveApp.sqlite(java.nio.file.Files.createDirectories(dir.resolve("plain")), "");
        assertTrue(!app.send("GET", "/-/metrics").body().contains("manaknight_journal"));
    }

    @Test void readinessTurnsBeforeTheListenerCloses() throws Exception {
        app = LiveApp.sqlite(dir, "[server]\ndrain_delay = \"1500ms\"\n");
        assertEquals(200, app.send("GET", "/-/ready").statusCode());
        var stopping = CompletableFuture.runAsync(() -> app.server.close());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int ready = 200;
        while (ready == 200 && System.nanoTime() < deadline) {
            ready = app.send("GET", "/-/ready").statusCode();
            Thread.sleep(10);
        }
        assertEquals(503, ready, "not ready once the stop began");
        assertEquals("draining\n", app.send("GET", "/-/ready").body());
        assertEquals(200, app.send("GET", "/hello").statusCode(), "and still serving during the delay");
        stopping.get(20, TimeUnit.SECONDS);
    }
}

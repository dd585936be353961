package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.manaknight.lang.vm.VmError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buffered access log and the slow log. */
class LogsTest {
    private static AccessEntry entry(String id, long micros, VmError failure) {
        return new AccessEntry(id, "GET", "/loop/5", "x=1", "GET /loop/:n", failure == null ? 200 : 500, micros, 42, 1024, 1, failure);
    }

    @Test void accessLinesAreBufferedThenFlushedInTheBackgroundAndOnClose() throws Exception {
        var out = new ByteArrayOutputStream();
        var sink = new LineSink(out, false);
        AccessLog log = AccessLog.json(sink);
        log.record(entry("a-1", 10, null));
        assertEquals(0, out.size(), "nothing is written on the request's thread");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (out.size() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
        var line = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("a-1", line.get("id").asText());
        assertEquals("GET /loop/:n", line.get("route").asText());
        assertEquals(42, line.get("fuel").asLong());

        for (int i = 0; i < 1000; i++) log.record(entry("b-" + i, 10, null));
        log.close();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1001, lines.size(), "close writes every buffered line");
        assertTrue(lines.getLast().contains("\"b-999\""));
        log.record(entry("late", 10, null));
        assertEquals(1001, out.toString(StandardCharsets.UTF_8).lines().count(), "nothing after close");
    }

    private static InFlight request(String id, long startNanos) {
        var r = new InFlight(id, Request.of("GET", "/loop/5?x=1", List.of(), new byte[0], "test"), startNanos,
                Duration.ofSeconds(10).toNanos(), (f, reply) -> {}, Runnable::run);
        r.route("GET /loop/:n");
        r.cost(42, 1024, 0, 1);
        return r;
    }

    @Test void slowRequestsOnlyWithTheirStackWhenTheyFailed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("slow.log");
        var slowCount = new java.util.concurrent.atomic.AtomicInteger();
        var slow = new SlowLog(file, Duration.ofMillis(100), new RequestObserver() {
            @Override public void slow(InFlight r) { slowCount.incrementAndGet(); }
        });
        long now = System.nanoTime();
        slow.ended(request("fast", now - 99_999_000), 200, now);
        slow.ended(request("slow", now - 123_456_000), 200, now);
        InFlight failed = request("failed", now - 250_000_000);
        failed.failure(new VmError(VmError.Kind.CPU_EXHAUSTED, "CPU limit of 5000us exhausted",
                List.of(new VmError.StackFrame("spin", "app.mnk", 7), new VmError.StackFrame("api GET /loop/:n", "app.mnk", 12))));
        slow.ended(failed, 500, now);
        InFlight running = request("running", now - 300_000_000);
        slow.running(running, List.of(new VmError.StackFrame("spin", "app.mnk", 7)), now);
        slow.running(running, List.of(), now);
        slow.ended(running, 200, now);
        slow.close();
        List<String> lines = Files.readAllLines(file);
        assertEquals(7, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("\\[.+Z] slow GET /loop/5\\?x=1 -> 200 in 123\\.456ms \\(route GET /loop/:n, fuel 42, memory 1024, effects 1\\)"),
                lines.get(0));
        assertTrue(lines.get(1).contains("failed GET /loop/5?x=1 -> 500 in 250.000ms"), lines.get(1));
        assertEquals("cpu-exhausted: CPU limit of 5000us exhausted", lines.get(2));
        assertEquals("  at spin (app.mnk:7)", lines.get(3));
        assertEquals("  at api GET /loop/:n (app.mnk:12)", lines.get(4));
        assertTrue(lines.get(5).endsWith("running GET /loop/5?x=1 still running after 300 ms"), lines.get(5));
        assertEquals("  at spin (app.mnk:7)", lines.get(6));
        assertEquals(3, slowCount.get(), "each slow request counted once");
    }

    @Test void noFileUntilARequestIsSlow(@TempDir Path dir) {
        Path file = dir.resolve("slow.log");
        var slow = new SlowLog(file, Duration.ofMillis(100), RequestObserver.NONE);
        long now = System.nanoTime();
        slow.ended(request("fast", now - 1_000_000), 200, now);
        slow.close();
        assertFalse(Files.exists(file));
    }
}

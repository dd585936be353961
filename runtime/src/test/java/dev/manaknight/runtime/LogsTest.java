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

    @Test void slowRequestsOnlyWithTheirStackWhenTheyFailed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("slow.log");
        var slow = SlowLog.toFile(Duration.ofMillis(100), file);
        slow.record(entry("fast", 99_999, null));
        assertFalse(Files.exists(file), "no file until a request is slow");
        slow.record(entry("slow", 123_456, null));
        slow.record(entry("failed", 250_000, new VmError(VmError.Kind.CPU_EXHAUSTED, "CPU limit of 5000us exhausted",
                List.of(new VmError.StackFrame("spin", "app.mnk", 7), new VmError.StackFrame("api GET /loop/:n", "app.mnk", 12)))));
        slow.close();
        List<String> lines = Files.readAllLines(file);
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("\\[.+Z] slow GET /loop/5\\?x=1 -> 200 in 123\\.456ms \\(route GET /loop/:n, fuel 42, memory 1024, effects 1\\)"),
                lines.get(0));
        assertTrue(lines.get(1).contains("failed GET /loop/5?x=1 -> 500 in 250.000ms"), lines.get(1));
        assertEquals("cpu-exhausted: CPU limit of 5000us exhausted", lines.get(2));
        assertEquals("  at spin (app.mnk:7)", lines.get(3));
        assertEquals("  at api GET /loop/:n (app.mnk:12)", lines.get(4));
    }
}

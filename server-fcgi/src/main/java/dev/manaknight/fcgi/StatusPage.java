package dev.manaknight.fcgi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.journal.Journal;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PHP-FPM's status page: its field names in its text layout, `?json`, `?full` (a row per worker)
 * and `?openmetrics`, plus Manaknight's own fields (VM failures by kind, fuel and memory
 * percentiles, FastCGI connections open, accepted and refused: PHP-FPM's `accepted conn` counts requests).
 * Query keys combine like PHP-FPM's: `?json&full`.
 */
final class StatusPage {
    private StatusPage() {}

    private static final DateTimeFormatter PHP_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = JsonFactory.builder().build();

    static Reply render(FpmStatus s, String query) { return render(s, query, null); }

    /** @param journal the serving deployment's request journal, or null when it has none (its fields are then left out) */
    static Reply render(FpmStatus s, String query, Journal journal) {
        var keys = List.of(query.split("&"));
        boolean full = keys.contains("full");
        if (keys.contains("openmetrics")) return reply(StatusMetrics.CONTENT_TYPE, StatusMetrics.render(s, journal));
        if (keys.contains("json")) return reply("application/json", json(s, full, journal));
        return reply("text/plain; charset=utf-8", text(s, full, journal));
    }

    static Reply pong() { return reply("text/plain; charset=utf-8", "pong"); }

    private static Reply reply(String type, String body) {
        return reply(type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Reply reply(String type, byte[] body) {
        return new Reply(200, List.of(new Header("Content-Type", type), new Header("Cache-Control", "no-store")), body);
    }

    /**
     * The pool's fields in PHP-FPM's order, then ours; with a journal, its records written,
     * dropped and bytes since the serving deployment started (a reload starts a new journal instance).
     */
    private static Map<String, Object> pool(FpmStatus s, Journal journal) {
        var m = new LinkedHashMap<String, Object>();
        int active = s.active.get();
        m.put("pool", s.pool);
        m.put("process manager", "static");
        m.put("start time", PHP_TIME.format(s.start));
        m.put("start since", (System.nanoTime() - s.startNanos) / 1_000_000_000L);
        m.put("accepted conn", s.accepted.sum());
        m.put("listen queue", s.waiting.get());
        m.put("max listen queue", s.maxWaiting.get());
        m.put("listen queue len", s.queueLen);
        m.put("idle processes", Math.max(0, s.workers - active));
        m.put("active processes", active);
        m.put("total processes", s.workers);
        m.put("max active processes", s.maxActive.get());
        m.put("max children reached", s.maxChildrenReached.sum());
        m.put("slow requests", s.slowRequests.sum());
        m.put("overloaded", s.overloaded.sum());
        m.put("reloads", s.reloads.get());
        m.put("connections open", s.connections.open());
        m.put("connections accepted", s.connections.accepted());
        m.put("connections refused", s.connections.refused());
        long[] fuel = s.percentiles(true);
        long[] mem = s.percentiles(false);
        String[] p = {"p50", "p90", "p99", "max"};
        for (int i = 0; i < 4; i++) m.put("fuel " + p[i], fuel[i]);
        for (int i = 0; i < 4; i++) m.put("memory " + p[i], mem[i]);
        for (var e : s.failures().entrySet()) m.put("vm failures " + e.getKey().slug, e.getValue());
        if (journal != null) {
            m.put("journal records", journal.written());
            m.put("journal dropped", journal.dropped());
            m.put("journal bytes", journal.bytes());
        }
        return m;
    }

    private static List<Map<String, Object>> workers(FpmStatus s) {
        var rows = new ArrayList<Map<String, Object>>();
        long now = System.nanoTime();
        for (int i = 0; i < s.workers; i++) {
            FpmStatus.Slot w = s.slot(i);
            var m = new LinkedHashMap<String, Object>();
            m.put("pid", i + 1); // a worker slot, not an OS process
            m.put("state", w.busy() ? "Running" : "Idle");
            m.put("start time", PHP_TIME.format(s.start));
            m.put("start since", (now - s.startNanos) / 1_000_000_000L);
            m.put("requests", w.requests());
            m.put("request duration", w.busy() ? (now - w.startNanos()) / 1000 : w.lastMicros());
            m.put("request method", w.method());
            m.put("request uri", w.uri());
            m.put("content length", w.contentLength());
            m.put("user", "-");
            m.put("script", "-");
            m.put("last request cpu", cpuPercent(w));
            m.put("last request memory", w.lastMemory());
            rows.add(m);
        }
        return rows;
    }

    /**
     * PHP-FPM's `last request cpu`: CPU time over wall time of the slot's last request, in percent
     * (two decimals). The CPU time is the VM's own measure, queries excluded, taken from its first
     * fuel tick on: a request too short to reach one shows 0 (see vm.md, "Budgets").
     */
    static double cpuPercent(FpmStatus.Slot w) {
        if (w.busy() || w.lastMicros() <= 0) return 0.0;
        return Math.round(w.lastCpuNanos() * 10.0 / w.lastMicros()) / 100.0; // ns*100/(µs*1000), to 2 places
    }

    private static String text(FpmStatus s, boolean full, Journal journal) {
        var b = new StringBuilder(1024);
        appendFields(b, pool(s, journal));
        if (full) {
            for (var w : workers(s)) {
                b.append('\n').append("************************\n");
                appendFields(b, w);
            }
        }
        return b.toString();
    }

    private static void appendFields(StringBuilder b, Map<String, Object> fields) {
        for (var e : fields.entrySet()) {
            String k = e.getKey() + ":";
            b.append(k).append(" ".repeat(Math.max(1, 22 - k.length()))).append(e.getValue()).append('\n');
        }
    }

    private static String json(FpmStatus s, boolean full, Journal journal) {
        var w = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            writeFields(g, pool(s, journal));
            if (full) {
                g.writeArrayFieldStart("processes");
                for (var row : workers(s)) {
                    g.writeStartObject();
                    writeFields(g, row);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writeFields(JsonGenerator g, Map<String, Object> fields) throws IOException {
        for (var e : fields.entrySet()) {
            switch (e.getValue()) {
                case Integer i -> g.writeNumberField(e.getKey(), i);
                case Long l -> g.writeNumberField(e.getKey(), l);
                case Double d -> g.writeNumberField(e.getKey(), d);
                default -> g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
            }
        }
    }
}

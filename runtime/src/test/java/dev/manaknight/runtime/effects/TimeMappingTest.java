package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.model.TimeText;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.Fixtures;
import dev.manaknight.runtime.InputError;
import dev.manaknight.runtime.json.JsonDecoder;
import dev.manaknight.runtime.json.JsonEncoder;
import dev.manaknight.runtime.json.TypeTable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: `Instant` and `Duration` map to JSON (RFC 3339 and ISO 8601 strings, both ways) and
 * to SQLite (an Instant as RFC 3339 text in UTC, which sorts by time; read back from that text,
 * from `CURRENT_TIMESTAMP`'s text or from epoch milliseconds; a Duration as milliseconds).
 */
class TimeMappingTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05.120Z");
    private final TypeTable types = new TypeTable(Fixtures.users());
    private SingleConnectionDatabase db;

    @BeforeEach void open() throws Exception { db = SingleConnectionDatabase.inMemorySqlite(); }

    @AfterEach void close() { db.close(); }

    @Test void jsonIsRfc3339InUtcAndIso8601() {
        var enc = new JsonEncoder(types);
        assertEquals("\"2026-01-02T03:04:05.120Z\"", new String(enc.encode(Type.INSTANT, T), StandardCharsets.UTF_8));
        assertEquals("\"2026-01-02T03:04:05Z\"",
                new String(enc.encode(Type.INSTANT, Instant.parse("2026-01-02T03:04:05Z")), StandardCharsets.UTF_8));
        assertEquals("\"PT1H30M\"", new String(enc.encode(Type.DURATION, Duration.ofMinutes(90)), StandardCharsets.UTF_8));
    }

    @Test void jsonDecodingTakesAnyOffsetAndRefusesOtherText() throws Exception {
        var dec = new JsonDecoder(types);
        var errors = new ArrayList<InputError>();
        var offset = JsonDecoder.parse("\"2026-01-02T05:04:05.120+02:00\"".getBytes(StandardCharsets.UTF_8));
        assertEquals(T, dec.decode(offset, Type.INSTANT, "/at", errors));
        var duration = JsonDecoder.parse("\"PT1M30S\"".getBytes(StandardCharsets.UTF_8));
        assertEquals(Duration.ofSeconds(90), dec.decode(duration, Type.DURATION, "/d", errors));
        assertEquals(List.of(), errors);
        for (String bad : List.of("\"2026-01-02\"", "\"yesterday\"", "1767323045000", "\"10000-01-01T00:00:00Z\"")) {
            var e = new ArrayList<InputError>();
            dec.decode(JsonDecoder.parse(bad.getBytes()), Type.INSTANT, "/at", e);
            assertEquals(1, e.size(), bad);
            assertTrue(e.getFirst().toString().contains("RFC 3339"), e.toString());
        }
    }

    @Test void textFormsAtTheEdges() {
        assertEquals(TimeText.MIN, TimeText.parse("0000-01-01T00:00:00Z"));
        assertEquals(TimeText.MAX, TimeText.parse("9999-12-31T23:59:59.999999Z"), "finer digits are dropped");
        assertNull(TimeText.parse("9999-12-31T23:59:59-00:01"), "past year 9999 in UTC");
        assertNull(TimeText.parse("2026-02-30T00:00:00Z"));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), TimeText.parseColumn("2026-01-02 03:04:05"));
        assertNull(TimeText.parse("2026-01-02 03:04:05"), "inputs need an offset");
        assertNull(TimeText.parseDuration("PT99999999999999999H"));
    }

    @Test void sqliteStoresRfc3339TextAndReadsItBack() throws Exception {
        var mapper = new ResultMapper(types);
        Connection c = db.acquire();
        try {
            try (var st = c.createStatement()) {
                st.execute("CREATE TABLE t (at TEXT, ms INTEGER, d INTEGER)");
            }
            try (var ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
                mapper.bind(ps, 1, Type.INSTANT, T);
                ps.setLong(2, T.toEpochMilli());
                mapper.bind(ps, 3, Type.DURATION, Duration.ofMinutes(90));
                ps.execute();
            }
            try (var ps = c.prepareStatement("SELECT at FROM t")) {
                assertEquals(T, mapper.map(Type.INSTANT, ps, ps.execute()));
            }
            try (var ps = c.prepareStatement("SELECT typeof(at) || ' ' || at FROM t")) {
                assertEquals("text 2026-01-02T03:04:05.120Z", mapper.map(Type.STRING, ps, ps.execute()));
            }
            try (var ps = c.prepareStatement("SELECT ms FROM t")) {
                assertEquals(T, mapper.map(Type.INSTANT, ps, ps.execute()));
            }
            try (var ps = c.prepareStatement("SELECT d FROM t")) {
                assertEquals(Duration.ofMinutes(90), mapper.map(Type.DURATION, ps, ps.execute()));
            }
            try (var ps = c.prepareStatement("SELECT CURRENT_TIMESTAMP")) {
                var now = assertInstanceOf(Instant.class, mapper.map(Type.INSTANT, ps, ps.execute()));
                assertTrue(Math.abs(now.getEpochSecond() - Instant.now().getEpochSecond()) < 60, now.toString());
            }
            try (var ps = c.prepareStatement("SELECT 'not a time'")) {
                var failure = org.junit.jupiter.api.Assertions.assertThrows(dev.manaknight.lang.vm.Host.EffectFailure.class,
                        () -> mapper.map(Type.INSTANT, ps, ps.execute()));
                assertEquals("row-mapping", failure.kind());
            }
            try (var ps = c.prepareStatement("SELECT at FROM t WHERE 0 = 1")) {
                assertEquals(Values.None.NONE, mapper.map(Type.optionOf(Type.INSTANT), ps, ps.execute()));
            }
        } finally {
            db.release(c);
        }
    }
}

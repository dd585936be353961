package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manaknight.lang.model.Type;
import dev.manaknight.runtime.Fixtures;
import dev.manaknight.runtime.json.TypeTable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 on PostgreSQL, when `MANAKNIGHT_TEST_PG_URL` names one (`.ci/postgres.sh` prints it;
 * skipped otherwise): an `Instant` parameter is a `timestamptz`, whatever the session's time
 * zone, and comes back as the same instant; a `Duration` is a `bigint` of milliseconds.
 */
class PostgresTimeTest {
    private static final String URL = System.getenv("MANAKNIGHT_TEST_PG_URL");
    private static final Instant T = Instant.parse("2026-01-02T03:04:05.120Z");

    @Test void instantsAreTimestamptzAndDurationsMilliseconds() throws Exception {
        assumeTrue(URL != null && !URL.isBlank(), "MANAKNIGHT_TEST_PG_URL is not set");
        var mapper = new ResultMapper(new TypeTable(Fixtures.users()));
        try (Connection c = DriverManager.getConnection(PooledDatabase.jdbcUrl(URL))) {
            try (var st = c.createStatement()) {
                st.execute("SET TIME ZONE 'Asia/Tokyo'");
                st.execute("CREATE TEMPORARY TABLE issue15_times (at timestamptz, d bigint)");
            }
            try (var ps = c.prepareStatement("INSERT INTO issue15_times VALUES (?, ?)")) {
                mapper.bind(ps, 1, Type.INSTANT, T);
                mapper.bind(ps, 2, Type.DURATION, Duration.ofMinutes(90));
                ps.execute();
            }
            try (var ps = c.prepareStatement("SELECT at FROM issue15_times")) {
                assertEquals(T, mapper.map(Type.INSTANT, ps, ps.execute()));
            }
            String utc = "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') FROM issue15_times";
            try (var ps = c.prepareStatement(utc)) {
                assertEquals("2026-01-02 03:04:05.120", mapper.map(Type.STRING, ps, ps.execute()));
            }
            try (var ps = c.prepareStatement("SELECT d FROM issue15_times")) {
                assertEquals(Duration.ofMinutes(90), mapper.map(Type.DURATION, ps, ps.execute()));
            }
            try (var ps = c.prepareStatement("SELECT now()")) {
                Instant now = (Instant) mapper.map(Type.INSTANT, ps, ps.execute());
                assertEquals(true, Math.abs(now.getEpochSecond() - Instant.now().getEpochSecond()) < 60, now.toString());
            }
        }
    }
}

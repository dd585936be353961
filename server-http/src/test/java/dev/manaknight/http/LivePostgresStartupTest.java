package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manaknight.runtime.effects.PooledDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a server started while its PostgreSQL is down (a private server of the test's own,
 * stopped) waits for it up to `db.startup_wait` and serves once it is up; with the wait spent,
 * or none, the start fails as before.
 */
class LivePostgresStartupTest {
    private static PrivatePostgres pg;

    @TempDir Path dir;
    private LiveApp app;

    @BeforeAll static void startPostgres() throws Exception {
        String missing = PrivatePostgres.missing();
        if (missing != null) System.out.println("LivePostgresStartupTest skipped: " + missing);
        assumeTrue(missing == null, missing);
        pg = PrivatePostgres.create();
    }

    @AfterAll static void stopPostgres() {
        if (pg != null) pg.close();
    }

    @AfterEach void stopApp() {
        if (app != null) app.close();
    }

    private String toml(String wait) throws Exception {
        Files.writeString(dir.resolve("schema.sql"), LiveApp.resource("schema-postgresql.sql"));
        return "[db]\nurl = \"" + pg.url() + "\"\npool = 2\nschema = \"schema.sql\"\nstartup_wait = \"" + wait + "\"\n";
    }

    @Test void aStartWaitsForPostgresAndServesOnceItIsUp() throws Exception {
        pg.stop();
        String toml = toml("60s");
        var starting = CompletableFuture.supplyAsync(() -> {
            try {
                return LiveApp.start(dir, toml);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        pg.start(); // takes a while: the start's first attempts are refused
        app = starting.get(90, TimeUnit.SECONDS);
        try (var c = DriverManager.getConnection(PooledDatabase.jdbcUrl(pg.url())); var st = c.createStatement()) {
            st.execute("DELETE FROM items WHERE name = 'after-wait'");
        }
        assertEquals(201, app.postJson("/items", "{\"name\": \"after-wait\", \"price\": 1.00}").statusCode());
        app.close();
        app = null;
        try (var c = DriverManager.getConnection(PooledDatabase.jdbcUrl(pg.url())); var st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS pets, owners, items");
        }
    }

    /** Past the limit: the wait spent, the start fails with the database's error, as it does with none. */
    @Test void pastTheWaitTheStartFailsAsWithout() throws Exception {
        pg.stop();
        try {
            for (String wait : new String[] {"0s", "1500ms"}) {
                String toml = toml(wait);
                long t0 = System.nanoTime();
                var e = assertThrows(Exception.class, () -> LiveApp.start(dir, toml));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(e instanceof SQLException || e.getCause() instanceof SQLException, e.toString());
                if (wait.equals("0s")) assertTrue(ms < 1500, "no wait: failed in " + ms + " ms");
                else assertTrue(ms >= 1500 && ms < 10_000, "waited its 1.5 s, then failed: " + ms + " ms");
            }
        } finally {
            pg.start();
        }
    }
}

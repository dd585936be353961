package dev.manaknight.http;

import static dev.manaknight.http.LiveApp.json;
import static dev.manaknight.http.LiveStatusTest.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the `db` effect promises on every database, over a real socket: the schema applied once,
 * `RETURNING` rows mapped to records, Decimal digits kept, booleans, Option columns, one
 * transaction per request rolled back on a VM failure or a 5xx, a timeout that cancels a query.
 * Subclasses name the database.
 */
abstract class LiveDatabaseContract {
    @TempDir Path dir;
    LiveApp app;

    /** Starts the live app on this contract's database with `toml` added to the config. */
    abstract LiveApp start(Path dir, String toml) throws Exception;

    @AfterEach void stop() {
        if (app != null) app.close();
    }

    private long count() throws Exception {
        return Long.parseLong(app.send("GET", "/items/count").body());
    }

    private static final String CUP = "{\"name\": \"cup\", \"price\": 12.50}";

    @Test void schemaRowsAndResultMapping() throws Exception {
        app = start(dir, "");
        assertEquals("{\"id\":1,\"name\":\"pen\",\"price\":1.50,\"active\":true,\"note\":null}", app.send("GET", "/items/1").body());
        assertEquals("{\"id\":2,\"name\":\"ink\",\"price\":0.10,\"active\":true,\"note\":\"blue; not black\"}",
                app.send("GET", "/items/2").body(), "a `;` inside a string literal does not split the schema");

        var created = app.postJson("/items", "{\"name\": \"lamp\", \"price\": 1234567890.05, \"note\": \"dim\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("{\"id\":3,\"name\":\"lamp\",\"price\":1234567890.05,\"active\":true,\"note\":\"dim\"}", created.body());
        var noNote = app.postJson("/items", "{\"name\": \"mug\", \"price\": 3.00, \"note\": null}");
        assertEquals("{\"id\":4,\"name\":\"mug\",\"price\":3.00,\"active\":true,\"note\":null}", noNote.body());

        JsonNode off = json(app.send("PUT", "/items/3/inactive"));
        assertEquals(false, off.get("active").asBoolean());
        assertTrue(off.get("active").isBoolean());
        assertEquals(0, new BigDecimal("4.60").compareTo(new BigDecimal(app.send("GET", "/items/total").body())),
                "sum over the active rows, exact");
    }

    @Test void theSchemaRunsOnlyOnAnEmptyDatabase() throws Exception {
        app = start(dir, "");
        assertEquals(201, app.postJson("/items", CUP).statusCode());
        app.close();
        app = restart(dir, "");
        assertEquals(3, count(), "the rows survive a restart and the seed rows are not inserted twice");
    }

    /** Starts again on the same database without resetting it. */
    abstract LiveApp restart(Path dir, String toml) throws Exception;

    @Test void aVmFailureAfterAnInsertLeavesNoRow() throws Exception {
        app = start(dir, "");
        problem(app.postJson("/crash/0", CUP), 500, "division-by-zero");
        assertEquals(2, count());
        assertEquals(200, app.postJson("/crash/1", CUP).statusCode());
        assertEquals(3, count(), "the same handler commits when it does not fail");
    }

    @Test void a5xxResponseRollsBack() throws Exception {
        app = start(dir, "");
        var r = app.postJson("/unavailable", CUP);
        assertEquals(503, r.statusCode());
        assertEquals("try later", r.body());
        assertEquals(2, count());
    }

    @Test void aFailedEffectRollsBackAndNamesItsKind() throws Exception {
        app = start(dir, "");
        problem(app.send("PUT", "/items/99/inactive"), 500, "effect-failed");
        assertEquals(0, new BigDecimal("1.60").compareTo(new BigDecimal(app.send("GET", "/items/total").body())));
    }

    @Test void theTimeoutCancelsARunningQuery() throws Exception {
        app = start(dir, "[limits]\ntimeout = \"300ms\"\n");
        long start = System.nanoTime();
        problem(app.send("GET", "/slowdb"), 500, "timeout");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < LiveLimitsTest.QUICK_MS, "took " + ms + "ms");
        assertEquals(2, count(), "the pool still serves");
    }
}

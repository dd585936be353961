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
 * transaction per request committed only below 400 (or on a 4xx with `respond keep`, never for
 * `HEAD`) and rolled back on a VM failure, a 4xx or a 5xx, a timeout that cancels a query, and
 * each constraint a query declares answered as a `DbError` value. Subclasses name the database.
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

    /** PostgreSQL, which names every constraint; SQLite names a UNIQUE by its columns and no foreign key. */
    abstract boolean postgres();

    private long owners() throws Exception {
        return Long.parseLong(app.send("GET", "/owners/count").body());
    }

    @Test void a4xxAfterAWriteLeavesNoRow() throws Exception {
        // issue 14: before, a handler that wrote and then answered 409 or 422 committed the write
        app = start(dir, "");
        for (int code : new int[] {400, 404, 409, 422, 499, 500, 503}) {
            var r = app.postJson("/items/answer/" + code, CUP);
            assertEquals(code, r.statusCode(), r.body());
            assertEquals(2, count(), "a " + code + " keeps nothing");
        }
        assertEquals(201, app.postJson("/items/answer/201", CUP).statusCode());
        assertEquals(3, count(), "below 400 the write is kept");
    }

    @Test void respondKeepKeepsA4xxsWritesButNeverA5xxs() throws Exception {
        // issue 14: `respond keep` is how a 4xx keeps its writes (a failed login attempt recorded)
        app = start(dir, "");
        assertEquals(401, app.postJson("/items/keep/401", CUP).statusCode());
        assertEquals(3, count(), "the 401's insert is kept");
        assertEquals(503, app.postJson("/items/keep/503", CUP).statusCode());
        assertEquals(3, count(), "a 5xx rolls back, keep or not");
    }

    @Test void headLeavesNoRow() throws Exception {
        // issue 14: HEAD runs the GET handler, writes included; they were committed
        app = start(dir, "");
        var head = app.send("HEAD", "/items/visit");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(2, count(), "HEAD keeps nothing");
        assertEquals(200, app.send("GET", "/items/visit").statusCode());
        assertEquals(3, count(), "the same GET does");
    }

    @Test void eachDeclaredConstraintIsADbError() throws Exception {
        // issue 14: the same variants on SQLite and PostgreSQL, answered by the handler (409)
        app = start(dir, "");
        assertEquals(201, app.send("POST", "/owners?email=ada@example.com").statusCode());
        assertDbError(app.send("POST", "/owners?email=ada@example.com"), "unique", "constraint",
                postgres() ? "owners_email_key" : "owners.email");
        assertDbError(app.send("POST", "/owners?email=nobody"), "check", "constraint", "owners_email_check");
        assertDbError(app.send("POST", "/owners"), "notNull", "column", "owners.email");
        assertDbError(app.send("POST", "/owners/99/pets?name=rex"), "foreignKey", "constraint",
                postgres() ? "pets_owner_fkey" : "");
        assertEquals(201, app.send("POST", "/owners/1/pets?name=rex").statusCode());
        assertEquals(1, owners(), "each refused insert left nothing (the 409s rolled back, too)");
    }

    private static void assertDbError(java.net.http.HttpResponse<String> r, String variant, String field, String name)
            throws Exception {
        assertEquals(409, r.statusCode(), r.body());
        JsonNode e = json(r);
        assertEquals(variant, e.get("type").asText(), r.body());
        assertEquals(name, e.get(field).asText(), r.body());
    }

    @Test void aHandlerGoesOnAfterADeclaredError() throws Exception {
        // issue 14: on PostgreSQL a failed statement aborts the transaction; the savepoint around a
        // query that declares DbError takes back only that statement
        app = start(dir, "");
        var r = app.send("POST", "/owners/twice?email=ada@example.com&other=grace@example.com");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("[true,true]", r.body());
        assertEquals(2, owners(), "both successful inserts are kept");
    }

    @Test void listsEnumsAndJsonBind() throws Exception {
        // issue 14 (item 6): `IN (:ids)` one `?` per element (never spliced), an empty list an empty subquery
        app = start(dir, "");
        assertEquals("[1,2]", app.send("GET", "/in?id=2&id=1").body());
        assertEquals("[2]", app.send("GET", "/in?id=2").body());
        assertEquals("[1,2]", app.send("GET", "/in?id=1&id=2&id=99").body(), "three ids, padded to four");
        assertEquals("[]", app.send("GET", "/in").body(), "IN of no ids matches nothing");
        assertEquals("[1,2]", app.send("GET", "/not-in").body(), "NOT IN of no ids matches everything");
        assertEquals("[2]", app.send("GET", "/not-in?id=1").body());
        assertEquals("1", app.send("GET", "/named?name=pen&name=x%27)%20OR%201%3D1%20--").body(), "text is bound, not spliced");
        assertEquals("green", app.send("GET", "/color?c=green").body(), "an enum binds as its variant's name");
        var noted = app.send("PUT", "/items/1/note", "{\"a\": [1, 2.50], \"b\": \"x\"}", "application/json");
        assertEquals(200, noted.statusCode(), noted.body());
        assertEquals("{\"a\":[1,2.50],\"b\":\"x\"}", json(noted).get("note").asText(), "Json binds as its text");
    }

    @Test void aViolationAQueryDoesNotDeclareStillFailsTheRequest() throws Exception {
        app = start(dir, "");
        problem(app.send("POST", "/owners/undeclared?email=ada@example.com"), 500, "effect-failed");
        assertEquals(0, owners(), "the first insert was rolled back with the request");
    }

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

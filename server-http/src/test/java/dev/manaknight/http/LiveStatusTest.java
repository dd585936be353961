package dev.manaknight.http;

import static dev.manaknight.http.LiveApp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every status the runtime answers, over a real socket, with the real compiler and VM and SQLite. */
class LiveStatusTest {
    @TempDir Path dir;
    private LiveApp app;

    @AfterEach void stop() {
        if (app != null) app.close();
    }

    static JsonNode problem(HttpResponse<String> r, int status, String slug) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode p = json(r);
        assertEquals("https://manaknight.dev/problems/" + slug, p.get("type").asText(), r.body());
        assertEquals(status, p.get("status").asInt());
        assertTrue(r.headers().firstValue("X-Request-Id").isPresent());
        return p;
    }

    @Test void successStatuses() throws Exception {
        app = LiveApp.sqlite(dir, "");
        var ok = app.send("GET", "/items/1");
        assertEquals(200, ok.statusCode());
        assertEquals("application/json", ok.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"id\":1,\"name\":\"pen\",\"price\":1.50,\"active\":true,\"note\":null}", ok.body());

        var created = app.postJson("/items", "{\"name\": \"cup\", \"price\": 12.50, \"note\": \"tall\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("{\"id\":3,\"name\":\"cup\",\"price\":12.50,\"active\":true,\"note\":\"tall\"}", created.body());
        assertEquals("/items/3", created.headers().firstValue("Location").orElseThrow());

        var deleted = app.send("DELETE", "/items/3");
        assertEquals(204, deleted.statusCode());
        assertEquals("", deleted.body());
        assertEquals(404, app.send("GET", "/items/3").statusCode());
        assertEquals("text/plain; charset=utf-8", app.send("GET", "/hello").headers().firstValue("Content-Type").orElseThrow());
    }

    @Test void headIsGetWithoutTheBody() throws Exception {
        app = LiveApp.sqlite(dir, "");
        var get = app.send("GET", "/items/1");
        var head = app.send("HEAD", "/items/1");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(String.valueOf(get.body().length()), head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("application/json", head.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(404, app.send("HEAD", "/items/99").statusCode());
    }

    @Test void clientErrorsAreProblemDocuments() throws Exception {
        app = LiveApp.sqlite(dir, "[limits]\nbody = \"1KB\"\n");
        var handlerNotFound = app.send("GET", "/items/99");
        assertEquals(404, handlerNotFound.statusCode());
        // issue 16: `respond status 404` is the problem document the OpenAPI document promises
        assertEquals("application/problem+json", handlerNotFound.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"instance\":\"/items/99\"}",
                handlerNotFound.body());
        assertEquals("no route matches /nope", problem(app.send("GET", "/nope"), 404, "not-found").get("detail").asText());

        JsonNode bad = problem(app.send("GET", "/search?color=blue&limit=x"), 400, "invalid-request");
        assertEquals("/search", bad.get("instance").asText());
        assertEquals(2, bad.get("errors").size());
        assertEquals("/query/limit", bad.get("errors").get(0).get("pointer").asText());
        assertEquals("/query/color", bad.get("errors").get(1).get("pointer").asText());
        assertEquals("/path/id", problem(app.send("GET", "/items/abc"), 400, "invalid-request")
                .get("errors").get(0).get("pointer").asText());
        JsonNode body = problem(app.postJson("/items", "{\"name\": 5, \"price\": \"1\", \"extra\": true}"), 400, "invalid-request");
        assertEquals(3, body.get("errors").size(), body.toString());
        assertTrue(body.toString().contains("/body/name") && body.toString().contains("/body/price"), body.toString());

        var na = app.send("POST", "/hello");
        problem(na, 405, "method-not-allowed");
        assertEquals("GET, HEAD", na.headers().firstValue("Allow").orElseThrow());

        problem(app.postJson("/items", "{\"name\": \"" + "x".repeat(2000) + "\", \"price\": 1}"), 413, "body-too-large");
        problem(app.send("POST", "/items", "{\"name\": \"a\", \"price\": 1}", "text/plain"), 415, "unsupported-media-type");

        var unprocessable = app.postJson("/items", "{\"name\": \"  \", \"price\": 1}");
        assertEquals(422, unprocessable.statusCode());
        assertEquals("name must not be empty", unprocessable.body());
        assertEquals("2", app.send("GET", "/items/count").body(), "nothing was written by the failed requests");
    }

    /**
     * Issue 12: a 750 KB body showed `memory 104`; the body and its decoded inputs are charged now,
     * and a request whose inputs alone pass limits.memory is a 413, never run. At the limit it runs.
     */
    @Test void inputsPastTheMemoryLimitAre413AndInputsAtItRun() throws Exception {
        app = LiveApp.sqlite(dir, "[limits]\nmemory = \"256KB\"\nbody = \"512KB\"\n");
        String big = "{\"name\":\"" + "x".repeat(100_000) + "\",\"price\":1.00,\"note\":null}";
        JsonNode p = problem(app.postJson("/items", big), 413, "body-too-large");
        assertTrue(p.get("detail").asText().contains("limits.memory"), p.toString());
        assertEquals("2", app.send("GET", "/items/count").body(), "nothing ran, nothing was written");
        String fits = "{\"name\":\"" + "x".repeat(20_000) + "\",\"price\":1.00,\"note\":null}";
        var ok = app.postJson("/items", fits);
        assertEquals(201, ok.statusCode(), ok.body());
        assertTrue(app.entry(ok).memory() > 3 * 20_000, "the body and the decoded name are charged: " + app.entry(ok).memory());
    }

    @Test void vmFailureIs500WithTheKindAndNoDetailsOutsideDevMode() throws Exception {
        app = LiveApp.sqlite(dir, "");
        JsonNode p = problem(app.postJson("/crash/0", "{\"name\": \"cup\", \"price\": 1}"), 500, "division-by-zero");
        assertEquals("Internal Server Error", p.get("title").asText());
        assertTrue(p.get("detail").asText().contains("see the server log"));
        assertNull(p.get("stack"));
        problem(app.send("PUT", "/items/99/inactive"), 500, "effect-failed");
    }

    @Test void devModeShowsTheManaknightStack() throws Exception {
        app = LiveApp.sqlite(dir, "[log]\ndev = true\n");
        JsonNode p = problem(app.postJson("/crash/0", "{\"name\": \"cup\", \"price\": 1}"), 500, "division-by-zero");
        assertTrue(p.get("stack").get(0).asText().matches("at POST /crash/:d \\(app\\.mnk:\\d+\\)"), p.toString());
        JsonNode deep = problem(app.send("GET", "/forever"), 500, "stack-overflow");
        assertTrue(deep.get("stack").size() > 1, deep.toString());
        assertTrue(deep.get("stack").get(0).asText().startsWith("at forever (app.mnk:"), deep.toString());
    }

    @Test void overloadIs503WithRetryAfter() throws Exception {
        app = LiveApp.sqlite(dir, "[server]\nworkers = 1\nqueue = 0\n[limits]\ntimeout = \"2s\"\ncpu = \"0ms\"\nfuel = 2000000000\n");
        CompletableFuture<HttpResponse<String>> busy = CompletableFuture.supplyAsync(() -> {
            try {
                return app.send("GET", "/spin");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (app.server.deployment().admission().inFlight() == 0 && System.nanoTime() < deadline) Thread.sleep(2);
        var refused = app.send("GET", "/hello");
        problem(refused, 503, "overloaded");
        assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
        problem(busy.get(10, TimeUnit.SECONDS), 500, "timeout");
        // The answer can come from the watchdog a moment before the spin's thread has let its
        // worker go (a loaded machine): the worker is busy until then.
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (app.server.deployment().admission().inFlight() > 0 && System.nanoTime() < deadline) Thread.sleep(2);
        assertEquals(200, app.send("GET", "/hello").statusCode());
    }

    @Test void openApiIsServedOnlyWhenEnabled() throws Exception {
        app = LiveApp.sqlite(dir, "");
        problem(app.send("GET", "/openapi.json"), 404, "not-found");
        app.close();
        app = LiveApp.sqlite(dir, "[server]\nopenapi = true\n");
        var doc = app.send("GET", "/openapi.json");
        assertEquals(200, doc.statusCode());
        assertEquals("application/json", doc.headers().firstValue("Content-Type").orElseThrow());
        JsonNode d = json(doc);
        assertEquals("3.1.0", d.get("openapi").asText());
        assertEquals(dir.getFileName().toString(), d.get("info").get("title").asText());
        assertTrue(d.get("paths").has("/items/{id}"), d.get("paths").toString());
        var head = app.send("HEAD", "/openapi.json");
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(doc.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                head.headers().firstValue("Content-Length").orElseThrow());
        assertFalse(app.send("POST", "/openapi.json").statusCode() == 200);
    }
}

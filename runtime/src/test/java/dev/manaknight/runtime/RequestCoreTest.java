package dev.manaknight.runtime;

import static dev.manaknight.runtime.Fixtures.json;
import static dev.manaknight.runtime.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.effects.Schema;
import dev.manaknight.runtime.effects.SingleConnectionDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The request path end to end, with a fake executor in place of the VM and a real SQLite database. */
class RequestCoreTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<AccessEntry> log = Collections.synchronizedList(new ArrayList<>());
    private SingleConnectionDatabase db;
    private Deployment core;

    private Deployment core(boolean dev, Duration timeout, Fixtures.Handler... handlers) throws Exception {
        db = SingleConnectionDatabase.inMemorySqlite();
        Schema.applyIfEmpty(db, Fixtures.SCHEMA);
        core = Fixtures.deployment(Fixtures.users(), Fixtures.fake(handlers), db, Fixtures.config(1024, timeout, dev), log::add);
        return core;
    }

    @AfterEach void close() {
        if (core != null) core.close();
        if (db != null) db.close();
    }

    /** Handler 0 (`GET /users/:id`) deletes then answers with status `status`; handler 3 fails. */
    private Deployment deletingCore(int status) throws Exception {
        return deletingCore(status, false);
    }

    /** As {@link #deletingCore(int)}; `keep`: handler 0 answers with `respond keep`. */
    private Deployment deletingCore(int status, boolean keep) throws Exception {
        Fixtures.Handler delete = (h, a) -> {
            h.effect(Fixtures.DELETE_USER, new Object[] {a[0]});
            return new Outcome.Responded(new Response(status, new Response.Body.Text("deleted"), List.of(), keep));
        };
        Fixtures.Handler failing = (h, a) -> {
            h.effect(Fixtures.DELETE_USER, new Object[] {a[0]});
            return new Outcome.Failed(new VmError(VmError.Kind.DIVISION_BY_ZERO, "division by zero",
                    List.of(new VmError.StackFrame("api DELETE /users/:id", "users.mnk", 12))));
        };
        Fixtures.Handler count = (h, a) -> json(200, Type.INT, h.effect(Fixtures.COUNT_USERS, new Object[0]));
        return core(false, Duration.ofSeconds(5), delete, count, null, failing, null, null);
    }

    private long count() {
        return Long.parseLong(core.handle(Fixtures.get("/users/me")).text());
    }

    @Test void commitsBelow400() throws Exception {
        deletingCore(200);
        assertEquals(200, core.handle(Fixtures.get("/users/1")).status());
        assertEquals(1, count());
        core.close();
        db.close();
        deletingCore(399);
        assertEquals(399, core.handle(Fixtures.get("/users/1")).status());
        assertEquals(1, count());
    }

    @Test void rollsBackOn4xx() throws Exception {
        // issue 14: a 409 or 422 after a write used to commit it (the rule was "below 500")
        for (int status : new int[] {400, 409, 422, 499}) {
            deletingCore(status);
            assertEquals(status, core.handle(Fixtures.get("/users/1")).status());
            assertEquals(2, count(), "nothing of a " + status + " is kept");
            core.close();
            db.close();
        }
        core = null;
        db = null;
    }

    @Test void respondKeepKeepsA4xxsWrites() throws Exception {
        // issue 14: `respond keep status 401` (a failed login recorded) keeps its writes
        deletingCore(401, true);
        assertEquals(401, core.handle(Fixtures.get("/users/1")).status());
        assertEquals(1, count());
    }

    @Test void keepNeverKeepsA5xx() throws Exception {
        // a computed status may reach RESPOND_KEEP as a 5xx: a 5xx always rolls back
        deletingCore(500, true);
        assertEquals(500, core.handle(Fixtures.get("/users/1")).status());
        assertEquals(2, count());
    }

    @Test void headNeverCommits() throws Exception {
        // issue 14: HEAD runs the GET handler; its writes are never kept, whatever it answers
        for (boolean keep : new boolean[] {false, true}) {
            for (int status : new int[] {200, 404}) {
                deletingCore(status, keep);
                Reply r = core.handle(Fixtures.req("HEAD", "/users/1", null));
                assertEquals(status, r.status());
                assertEquals(0, r.body().length);
                assertEquals(2, count(), "HEAD " + status + (keep ? " keep" : ""));
                core.close();
                db.close();
            }
        }
        core = null;
        db = null;
    }

    /**
     * Issue 16: `respond status 404` sent an empty body while the OpenAPI document promises
     * `application/problem+json` for every error status. One rule, every status: a bodiless answer
     * of 400 or more is a problem document (`about:blank`, the status's phrase); below 400 it stays
     * empty; a handler that names its own `Content-Type` keeps its empty body.
     */
    @Test void aBodilessErrorStatusIsAProblemDocument() throws Exception {
        Fixtures.Handler bare = (h, a) -> new Outcome.Responded(new Response(((Number) a[0]).intValue(),
                new Response.Body.None(), List.of(), false));
        Fixtures.Handler typed = (h, a) -> new Outcome.Responded(new Response(404, new Response.Body.None(),
                List.of(new Response.Header("Content-Type", "text/plain")), false));
        core(false, Duration.ofSeconds(5), bare, typed);
        for (int status = 200; status <= 599; status++) {
            Reply r = core.handle(Fixtures.get("/users/" + status));
            assertEquals(status, r.status());
            if (status < 400) {
                assertEquals(0, r.body().length, "status " + status);
                assertNull(r.header("Content-Type"), "status " + status);
                continue;
            }
            assertEquals(Problem.MEDIA_TYPE, r.header("Content-Type"), "status " + status);
            JsonNode p = mapper.readTree(r.body());
            assertEquals("about:blank", p.get("type").asText(), r.text());
            assertEquals(status, p.get("status").asInt(), r.text());
            String phrase = ReasonPhrase.registered(status);
            assertEquals(phrase == null ? "Error" : phrase, p.get("title").asText(), r.text());
            assertEquals("/users/" + status, p.get("instance").asText(), r.text());
        }
        Reply own = core.handle(Fixtures.get("/users/me"));
        assertEquals(404, own.status());
        assertEquals(0, own.body().length);
        assertEquals("text/plain", own.header("Content-Type"));
        Reply head = core.handle(Fixtures.req("HEAD", "/users/404", null));
        assertEquals(0, head.body().length);
        assertEquals(Problem.MEDIA_TYPE, head.header("Content-Type"));
    }

    @Test void rollsBackOn5xx() throws Exception {
        deletingCore(503);
        assertEquals(503, core.handle(Fixtures.get("/users/1")).status());
        assertEquals(2, count());
    }

    @Test void rollsBackOnVmFailureWithAProblemNamingTheKind() throws Exception {
        deletingCore(200);
        Reply r = core.handle(Fixtures.req("DELETE", "/users/1", null));
        assertEquals(500, r.status());
        assertEquals(Problem.MEDIA_TYPE, r.header("Content-Type"));
        JsonNode p = mapper.readTree(r.body());
        assertEquals("https://manaknight.dev/problems/division-by-zero", p.get("type").asText());
        assertTrue(p.get("detail").asText().contains("see the server log"));
        assertNull(p.get("stack"));
        assertEquals(2, count());
    }

    @Test void devModeShowsTheStack() throws Exception {
        core(true, Duration.ofSeconds(5), null, null, null, (h, a) -> new Outcome.Failed(new VmError(VmError.Kind.OVERFLOW,
                "integer overflow in `a * b`", List.of(new VmError.StackFrame("mul", "m.mnk", 3)))));
        JsonNode p = mapper.readTree(core.handle(Fixtures.req("DELETE", "/users/1", null)).body());
        assertEquals("integer overflow in `a * b`", p.get("detail").asText());
        assertEquals("at mul (m.mnk:3)", p.get("stack").get(0).asText());
    }

    @Test void wallClockTimeoutCancelsTheRun() throws Exception {
        core(false, Duration.ofMillis(50), (h, a) -> {
            Thread.sleep(5000); // the fake "VM" is interrupted by the cancel
            return text(200, "late");
        });
        long start = System.nanoTime();
        Reply r = core.handle(Fixtures.get("/users/1"));
        assertEquals(500, r.status());
        assertEquals("https://manaknight.dev/problems/timeout", mapper.readTree(r.body()).get("type").asText());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "stopped at its deadline, not after 5 s");
    }

    /** Issue 12: a run that ignores its cancel is answered at the deadline + the margin all the same, once. */
    @Test void aRunThatDoesNotStopIsAnsweredAtTheHardDeadline() throws Exception {
        var release = new java.util.concurrent.CountDownLatch(1);
        core(false, Duration.ofMillis(200), (h, a) -> {
            while (release.getCount() > 0) Thread.onSpinWait(); // deaf to interrupts and flags
            return text(200, "late");
        });
        long start = System.nanoTime();
        Reply r = core.handle(Fixtures.get("/users/1"));
        long ms = (System.nanoTime() - start) / 1_000_000;
        release.countDown();
        assertEquals(500, r.status());
        assertEquals("https://manaknight.dev/problems/timeout", mapper.readTree(r.body()).get("type").asText());
        assertTrue(ms >= 200 + Watchdog.HARD_MARGIN.toMillis() - 20 && ms < 1000, "answered at timeout + margin: " + ms + " ms");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (core.admission().inFlight() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(1, log.size(), "one reply, one access-log line: the late 200 is dropped");
        assertEquals(500, log.getFirst().status());
    }

    @Test void routingAndValidationProblemsAndAccessLog() throws Exception {
        core(false, Duration.ofSeconds(5), (h, a) -> json(200, Type.optionOf(Fixtures.USER), h.effect(Fixtures.FIND_USER, a)));
        assertEquals(404, core.handle(Fixtures.get("/nothing")).status());
        Reply na = core.handle(Fixtures.req("PUT", "/users/1", null));
        assertEquals(405, na.status());
        assertEquals("DELETE, GET, HEAD", na.header("Allow"));
        Reply bad = core.handle(Fixtures.get("/users/abc"));
        assertEquals(400, bad.status());
        assertEquals("/path/id", mapper.readTree(bad.body()).get("errors").get(0).get("pointer").asText());
        Reply ok = core.handle(Fixtures.get("/users/2"));
        assertEquals("{\"id\":2,\"name\":\"Grace\",\"email\":\"grace@example.com\"}", ok.text());
        assertEquals("application/json", ok.header("Content-Type"));
        Reply head = core.handle(Fixtures.req("HEAD", "/users/2", null));
        assertEquals(0, head.body().length);
        assertEquals(String.valueOf(ok.body().length), head.header("Content-Length"));
        assertEquals(413, core.handle(Fixtures.req("POST", "/users", "x".repeat(2000), new Header("Content-Type", "application/json"))).status());

        AccessEntry last = log.get(log.size() - 2);
        assertEquals("GET /users/:id", last.route());
        assertEquals(200, last.status());
        assertEquals(42, last.fuel());
        assertEquals(1, last.effects());
        assertNull(log.getFirst().route());
        assertEquals(404, log.getFirst().status());
    }

    @Test void noneIsEncodedAsNull() throws Exception {
        core(false, Duration.ofSeconds(5), (h, a) -> json(200, Type.optionOf(Fixtures.USER), Values.None.NONE));
        assertEquals("null", core.handle(Fixtures.get("/users/9")).text());
    }
}

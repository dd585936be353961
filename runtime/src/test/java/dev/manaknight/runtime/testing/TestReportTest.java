package dev.manaknight.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: what `manaknight test` prints for a failed `expect`, from a real compiled app run
 * through real VMs and its routes: `file:line`, the expression and, for a comparison, what it
 * found (for `==` both values). Guards and a handler's `?` answer the test's requests as they
 * would a client's; a `request` sends the test's headers and a JSON or text body.
 */
class TestReportTest {
    private static final String APP = """
            type Todo { id: Int, title: String }

            fn unauthorized(): Never {
              uses { respond }
              respond status 401 headers { "WWW-Authenticate": "Bearer" }
            }

            fn requireToken(authorization: Option<String>) {
              uses { respond }
              if authorization != some("Bearer secret") { unauthorized() }
            }

            fn find(id: Int): Option<Todo> {
              if id == 1 { some(Todo { id: 1, title: "milk" }) } else { none }
            }

            api GET /todos/:id {
              param id: Int
              header authorization: Option<String>
              requireToken(authorization)
              respond json(find(id)?)
            }

            api POST /todos {
              header authorization: Option<String>
              header idempotencyKey: String
              body todo: Todo
              requireToken(authorization)
              respond status 201 json(todo) headers { "Idempotency-Key": idempotencyKey }
            }

            test "a todo" {
              let r = request GET "/todos/1" headers { "Authorization": "Bearer secret" }
              expect r.status == 200
              expect r.body == "{\\"id\\":1,\\"title\\":\\"milk\\"}"
            }

            test "guards answer" {
              let anonymous = request GET "/todos/1"
              expect anonymous.status == 401
              expect anonymous.headers.get("WWW-Authenticate") == some("Bearer")
              let missing = request GET "/todos/2" headers { "Authorization": "Bearer secret" }
              expect missing.status == 404
            }

            test "bodies and headers" {
              let created = request POST "/todos" json(Todo { id: 2, title: "eggs" }) headers {
                "Authorization": "Bearer secret",
                "Idempotency-Key": "k-1"
              }
              expect created.status == 201
              expect created.headers.get("Idempotency-Key") == some("k-1")
              let text = request POST "/todos" text("{\\"id\\": 3, \\"title\\": \\"tea\\"}") headers {
                "Authorization": "Bearer secret",
                "Idempotency-Key": "k-2",
                "Content-Type": "application/json"
              }
              expect text.body == "{\\"id\\":3,\\"title\\":\\"tea\\"}"
              let plain = request POST "/todos" text("tea") headers { "Authorization": "Bearer secret" }
              expect plain.status == 415
            }

            test "what a failure says" {
              let r = request GET "/todos/2" headers { "Authorization": "Bearer secret" }
              expect r.status == 200
              let wanted = "{}"
              expect r.body == wanted
              expect r.body.contains("milk")
              expect r.status < 400
              expect r.headers.get("Content-Type") == some("text/plain")
            }
            """;

    @Test
    void aFailedExpectSaysWhereWhatAndBothValues() throws Exception {
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", APP))));
        var out = new ByteArrayOutputStream();
        var results = new TestRunner(program, Fixtures.config(1024, Duration.ofSeconds(10), true), null)
                .run(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(4, results.size());
        assertEquals("""
                ok a todo
                ok guards answer
                ok bodies and headers
                FAIL what a failure says
                  app.mnk:65: expect r.status == 200: expected 200, got 404
                  app.mnk:67: expect r.body == wanted: expected "{}", got \
                "{\\"type\\":\\"about:blank\\",\\"title\\":\\"Not Found\\",\\"status\\":404,\\"instance\\":\\"/todos/2\\"}"
                  app.mnk:68: expect r.body.contains("milk")
                  app.mnk:69: expect r.status < 400: got 404
                  app.mnk:70: expect r.headers.get("Content-Type") == some("text/plain"): expected some("text/plain"), \
                got some("application/problem+json")
                3 passed, 1 failed
                """, out.toString(StandardCharsets.UTF_8));
    }

    /** A Patch in a failed expect is shown by its case, not as the some(some(…)) the VM holds. */
    @Test
    void aFailedExpectShowsAPatchByItsCase() throws Exception {
        String app = """
                type NotePatch { title: Patch<String>, pages: Patch<Int> }

                api PATCH /notes/:id {
                  param id: Int
                  body p: NotePatch
                  respond json(p)
                }

                fn read(body: String): NotePatch {
                  match NotePatch.fromJson(Json.parse(body).getOr(Json.from(0))) {
                    ok(p) -> p
                    err(_) -> NotePatch { title: Patch.absent, pages: Patch.absent }
                  }
                }

                test "patches" {
                  let p = read("{\\"title\\": \\"milk\\", \\"pages\\": null}")
                  expect p.title == Patch.set("tea")
                  expect p.pages == Patch.set(3)
                  let q = read("{}")
                  expect q.title == Patch.null
                  expect p.pages == Patch.null
                }
                """;
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", app))));
        var out = new ByteArrayOutputStream();
        new TestRunner(program, Fixtures.config(1024, Duration.ofSeconds(10), true), null)
                .run(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals("""
                FAIL patches
                  app.mnk:18: expect p.title == Patch.set("tea"): expected Patch.set("tea"), got Patch.set("milk")
                  app.mnk:19: expect p.pages == Patch.set(3): expected Patch.set(3), got Patch.null
                  app.mnk:21: expect q.title == Patch.null: expected Patch.null, got Patch.absent
                0 passed, 1 failed
                """, out.toString(StandardCharsets.UTF_8));
    }
}

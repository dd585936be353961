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
 * found. Guards and a handler's `?` answer the test's requests as they would a client's.
 */
class TestReportTest {
    private static final String APP = """
            type Todo { id: Int, title: String }

            fn unauthorized(): Never {
              uses { respond }
              respond status 401 headers { "WWW-Authenticate": "Bearer" }
            }

            fn requireToken(token: Option<String>) {
              uses { respond }
              if token != some("secret") { unauthorized() }
            }

            fn find(id: Int): Option<Todo> {
              if id == 1 { some(Todo { id: 1, title: "milk" }) } else { none }
            }

            api GET /todos/:id {
              param id: Int
              query token: Option<String>
              requireToken(token)
              respond json(find(id)?)
            }

            test "a todo" {
              let r = request GET "/todos/1?token=secret"
              expect r.status == 200
              expect r.body == "{\\"id\\":1,\\"title\\":\\"milk\\"}"
            }

            test "guards answer" {
              let anonymous = request GET "/todos/1"
              expect anonymous.status == 401
              expect anonymous.headers.get("WWW-Authenticate") == some("Bearer")
              let missing = request GET "/todos/2?token=secret"
              expect missing.status == 404
            }

            test "what a failure says" {
              let r = request GET "/todos/2?token=secret"
              expect r.status == 200
              let wanted = "{}"
              expect r.body == wanted
              expect r.body.contains("milk")
              expect r.status < 400
            }
            """;

    @Test
    void aFailedExpectSaysWhereWhatAndWhatItFound() throws Exception {
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", APP))));
        var out = new ByteArrayOutputStream();
        var results = new TestRunner(program, Fixtures.config(1024, Duration.ofSeconds(10), true), null)
                .run(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(3, results.size());
        assertEquals("""
                ok a todo
                ok guards answer
                FAIL what a failure says
                  app.mnk:40: expect r.status == 200: got 404
                  app.mnk:42: expect r.body == wanted: got "", want "{}"
                  app.mnk:43: expect r.body.contains("milk")
                  app.mnk:44: expect r.status < 400: got 404
                2 passed, 1 failed
                """, out.toString(StandardCharsets.UTF_8));
    }
}

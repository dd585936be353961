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
 * Issue 15, items 9 and 10: in `manaknight test` a handler's outbound calls are answered by the
 * stubs the test declared (`http.stub`), never by the network; a call no stub answers fails its
 * request, and the report says which call and how to stub it. Stubs belong to one test.
 */
class StubbedCallsTest {
    private static final String APP = """
            api POST /orders {
              uses { http }
              match http.send("POST", "https://hooks.example.com/orders", { "Content-Type": "application/json" }, "{}") {
                ok(r) -> respond status 201 text("hook said ${r.status} ${r.body}")
                err(e) -> respond status 502 text(e)
              }
            }

            test "a stub answers the call" {
              uses { http }
              http.stub("POST", "https://hooks.example.com/orders", 202, "queued")
              let r = request POST "/orders"
              expect r.status == 201
              expect r.body == "hook said 202 queued"
            }

            test "stubs belong to their test" {
              let r = request POST "/orders"
              expect r.status == 201
            }
            """;

    @Test
    void aStubAnswersAndAnUnstubbedCallFailsNamingIt() throws Exception {
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", APP))));
        var out = new ByteArrayOutputStream();
        new TestRunner(program, Fixtures.config(1024, Duration.ofSeconds(10), true), null)
                .run(new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertEquals("ok a stub answers the call", lines.get(0), text);
        assertEquals("FAIL stubs belong to their test", lines.get(1), text);
        assertEquals("  app.mnk:19: expect r.status == 201: expected 201, got 500", lines.get(2), text);
        assertEquals("1 passed, 1 failed", lines.getLast(), text);
        String log = String.join("\n", lines.subList(3, lines.size() - 1));
        assertEquals(true, log.contains("no stub answers POST https://hooks.example.com/orders; declare one in the test: "
                + "http.stub(\"POST\", \"https://hooks.example.com/orders\", 200, \"…\")"), text);
    }
}

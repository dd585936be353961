package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.StepBound;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.VmLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which requests the core lets a transport run on its I/O thread (runtime.md, "Inline handlers"). */
class InlineHandlersTest {
    private Deployment app;
    private RequestCore core;

    @AfterEach void close() { if (app != null) app.close(); }

    private RequestCore core(String source, long memory) throws Exception {
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", source))));
        var limits = new VmLimits(memory, 1_000_000, Duration.ofSeconds(1).toNanos(), VmLimits.DEFAULT_MAX_FRAMES);
        app = Fixtures.deployment(program.module(), new VmExecutor(program, limits), null,
                Fixtures.config(1024 * 1024, Duration.ofSeconds(5), false), e -> {});
        core = app.core();
        return core;
    }

    private boolean inline(Request req) { return core.dispatch(req).inline(); }

    private static Request get(String path) { return Request.of("GET", path, List.of(), new byte[0], "test"); }

    private static Request post(String path, byte[] body) {
        return Request.of("POST", path, List.of(new Header("Content-Type", "application/json")), body, "test");
    }

    /** A function of about `statements` × 4 instructions, no loop: bounded, but past the inline bound when large. */
    private static String longFunction(int statements) {
        var b = new StringBuilder("fn long(x: Int): Int {\n  var t = x\n");
        for (int i = 0; i < statements; i++) b.append("  t = t + ").append(i).append('\n');
        return b.append("  t\n}\n").toString();
    }

    @Test void shortPureHandlersAndUnmatchedRequestsRunInline() throws Exception {
        core(longFunction((int) RequestCore.INLINE_STEPS) + """
                type User { id: Int }
                db { findUser(id: Int): Option<User> = "SELECT id FROM users WHERE id = :id" }
                fn twice(x: Int): Int { x * 2 }
                api GET /hello { respond text("hello") }
                api GET /twice/:n { respond json(twice(n)) }
                api GET /spin/:n {
                  var t = 0
                  for i in 0..n { t = t + i }
                  respond json(t)
                }
                fn fact(n: Int): Int { if n <= 1 { 1 } else { n * fact(n - 1) } }
                api GET /fact/:n { respond json(fact(n)) }
                api GET /long/:n { respond json(long(n)) }
                api GET /users/:id {
                  uses { db }
                  match db.findUser(id) {
                    some(u) -> respond json(u)
                    none -> respond status 404
                  }
                }
                api POST /echo {
                  body s: String
                  respond text(s)
                }
                """, 1 << 20);
        assertTrue(inline(get("/hello")));
        assertTrue(inline(get("/twice/21")), "calls of bounded functions are bounded");
        assertFalse(inline(get("/spin/10")), "a loop");
        assertFalse(inline(get("/fact/5")), "recursion");
        assertFalse(inline(get("/long/1")), "bounded, but longer than INLINE_STEPS");
        var fns = core.module().functions();
        for (int i = 0; i < fns.size(); i++)
            if (fns.get(i).name().equals("long"))
                assertTrue(StepBound.of(core.module())[i] > RequestCore.INLINE_STEPS, "bounded: " + StepBound.of(core.module())[i]);
        assertFalse(inline(get("/users/1")), "an effect: the database");
        assertTrue(inline(get("/nope")), "a 404 is answered without a VM");
        assertTrue(inline(Request.of("DELETE", "/hello", List.of(), new byte[0], "test")), "a 405 too");
        assertTrue(inline(post("/echo", new byte[RequestCore.INLINE_BODY])));
        assertFalse(inline(post("/echo", new byte[RequestCore.INLINE_BODY + 1])), "a large body is decoded on a worker");
    }

    @Test void anInlineHandlerStillRunsUnderItsLimits() throws Exception {
        core("""
                api POST /grow {
                  body s: String
                  let t = s + s + s + s + s + s + s + s
                  respond text(t + t + t + t + t + t + t + t)
                }
                """, 64 * 1024);
        Request req = post("/grow", ("\"" + "a".repeat(4 * 1024) + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(core.dispatch(req).inline());
        var reply = new java.util.concurrent.atomic.AtomicReference<Reply>();
        app.submit(req, true, done -> reply.set(done.reply()));
        Reply r = reply.get();
        assertTrue(r != null, "an inline request is answered before submit returns");
        assertEquals(500, r.status(), r.text());
        assertTrue(r.text().contains("memory"), r.text());
    }
}

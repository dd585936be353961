package dev.manaknight.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.TestCase;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.Fixtures;
import dev.manaknight.runtime.HandlerExecutor;
import dev.manaknight.lang.vm.Program;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test runner with fake "VM" functions: handlers at 0..5 (see Fixtures), tests at 10 and 11. */
class TestRunnerTest {
    @Test void runsEachTestAgainstAFreshDatabaseThroughTheCore() throws Exception {
        Module base = Fixtures.users();
        Module m = new Module(base.constants(), base.types(), base.typeRefs(), base.functions(), base.effects(), base.routes(),
                List.of(new TestCase("delete then 404", 10, Fixtures.CAPS_DB, "t.mnk", 1),
                        new TestCase("user 1 still exists", 11, 0, "t.mnk", 5)));
        HandlerExecutor exec = (host, granted) -> new HandlerExecutor.Run() {
            final List<String> failed = new ArrayList<>();

            @Override public Outcome invoke(int function, Object... args) {
                try {
                    return switch (function) {
                        case 0 -> { // GET /users/:id
                            Object u = host.effect(Fixtures.FIND_USER, args);
                            yield u instanceof Values.Some s ? Fixtures.json(200, Fixtures.USER, s.value())
                                    : new Outcome.Responded(new Response(404, new Response.Body.None(), List.of()));
                        }
                        case 10 -> {
                            host.effect(Fixtures.DELETE_USER, new Object[] {1L});
                            Response r = host.request(HttpMethod.GET, "/users/1", Values.MapValue.EMPTY, Values.Unit.UNIT, -1);
                            if (r.status() != 404) failed.add("t.mnk:3: expect r.status == 404: got " + r.status());
                            yield new Outcome.Returned(Values.Unit.UNIT);
                        }
                        case 11 -> {
                            Response r = host.request(HttpMethod.GET, "/users/1", Values.MapValue.EMPTY, Values.Unit.UNIT, -1);
                            if (r.status() != 200) failed.add("t.mnk:7: expect r.status == 200: got " + r.status());
                            String body = ((Response.Body.Text) r.body()).text();
                            if (!body.equals("{\"id\":1,\"name\":\"Ada\",\"email\":\"ada@example.com\"}"))
                                failed.add("t.mnk:9: expect r.body == the wire JSON");
                            if (!body.contains("Bob")) failed.add("t.mnk:10: expect r.body.contains(\"Bob\")");
                            yield new Outcome.Returned(Values.Unit.UNIT);
                        }
                        default -> throw new IllegalStateException("no function " + function);
                    };
                } catch (Host.EffectFailure e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override public void cancel() {}
            @Override public long fuelUsed() { return 0; }
            @Override public long memoryUsed() { return 0; }
            @Override public List<String> expectationFailures() { return failed; }
        };
        var out = new ByteArrayOutputStream();
        var results = new TestRunner(Program.trusted(m), Fixtures.config(1024, Duration.ofSeconds(10), true), Fixtures.SCHEMA, exec)
                .run(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(2, results.size());
        assertEquals("""
                ok delete then 404
                FAIL user 1 still exists
                  t.mnk:10: expect r.body.contains("Bob")
                1 passed, 1 failed
                """, out.toString(StandardCharsets.UTF_8));
    }
}

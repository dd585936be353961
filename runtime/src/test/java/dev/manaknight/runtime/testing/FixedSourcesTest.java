package dev.manaknight.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Issue 15: in `manaknight test` the clock is stopped at 2026-01-01T00:00:00Z and `random` is
 * seeded, for the test and the requests it sends alike, and afresh for each test: a test's
 * uuids are the same at every run and whatever test ran before it.
 */
class FixedSourcesTest {
    /** The same test twice: the second must draw what the first drew. */
    private static final String TEST = """

            test "%s" {
              uses { clock, random }
              expect "${clock.now()}" == "2026-01-01T00:00:00Z"
              let r = request POST "/things"
              expect r.body.contains("\\"at\\":\\"2026-01-01T00:00:00Z\\"")
              expect r.body == "shown"
              expect random.int(1, 1000000000) == 0
            }
            """;
    private static final String APP = """
            api POST /things {
              uses { clock, random }
              respond status 201 json({ "id": random.uuid(), "at": "${clock.now()}" })
            }
            """ + TEST.formatted("first") + TEST.formatted("second");

    @Test
    void eachTestSeesTheSameClockAndRandomAtEveryRun() throws Exception {
        String first = run(), again = run();
        assertEquals(first, again, "a second run prints the same values");
        List<String> lines = first.lines().toList();
        // per test: FAIL, the body line, the random line; the clock checks pass
        assertEquals(List.of("FAIL first", "FAIL second", "0 passed, 2 failed"),
                lines.stream().filter(l -> !l.startsWith("  ")).toList(), first);
        List<String> failures = lines.stream().filter(l -> l.startsWith("  ")).map(l -> l.replaceFirst(":\\d+:", ":N:")).toList();
        assertEquals(4, failures.size(), first);
        assertEquals(failures.subList(0, 2), failures.subList(2, 4), "the second test draws what the first drew");
        assertTrue(failures.getFirst().matches(".*got \"\\{\\\\\"id\\\\\":\\\\\"[0-9a-f-]{36}\\\\\",.*"), failures.getFirst());
    }

    private static String run() throws Exception {
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", APP))));
        var out = new ByteArrayOutputStream();
        new TestRunner(program, Fixtures.config(1024, Duration.ofSeconds(10), true), null)
                .run(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}

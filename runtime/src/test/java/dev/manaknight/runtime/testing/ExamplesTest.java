package dev.manaknight.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The example apps' own `test` blocks, run as `manaknight test examples/NAME` runs them. */
class ExamplesTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @ParameterizedTest @ValueSource(strings = {"users", "ledger", "payments"})
    void everyTestBlockPasses(String name) throws Exception {
        Path app = EXAMPLES.resolve(name);
        Config cfg = ConfigLoader.load(app, null);
        Program program = Program.load(Compiler.compile(Compiler.loadSources(app)));
        // users has a schema.sql, ledger and payments their migrations (which TestRunner applies from the config)
        String schema = cfg.db().schema() == null ? null : Files.readString(cfg.db().schema(), StandardCharsets.UTF_8);
        var out = new ByteArrayOutputStream();
        List<TestOutcome> results = new TestRunner(program, cfg, schema).run(new PrintStream(out, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertFalse(results.size() < 4, name + " has too few tests:\n" + report);
        assertTrue(results.stream().allMatch(TestOutcome::passed), report);
        assertTrue(report.endsWith(results.size() + " passed, 0 failed\n"), report);
        assertEquals(results.size() + 1, report.lines().count(), "a passing run prints the report only, no server log:\n" + report);
    }
}

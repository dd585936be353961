package dev.manaknight.cli;

import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import dev.manaknight.runtime.testing.TestOutcome;
import dev.manaknight.runtime.testing.TestRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `manaknight test`: Run an app's test blocks. */
@Command(name = "test", description = "Run an app's test blocks.")
public final class TestCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "APP", description = "an app directory or a .mkb file")
    Path app;

    @Override public Integer call() throws Exception {
        Config cfg = ConfigLoader.load(app, null);
        Program program = AppLoader.standard().load(app).program();
        String schema = cfg.db().schema() == null ? null : Files.readString(cfg.db().schema(), StandardCharsets.UTF_8);
        List<TestOutcome> results = new TestRunner(program, cfg, schema).run(System.out);
        return results.stream().allMatch(TestOutcome::passed) ? 0 : 1;
    }
}

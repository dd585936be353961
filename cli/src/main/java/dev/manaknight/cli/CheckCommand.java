package dev.manaknight.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `manaknight check APP`: compile (or read and verify) an app and report every error. */
@Command(name = "check", description = "Type-check an app and its queries against its schema (or verify a .mkb); "
        + "diagnostics go to stderr.")
final class CheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "APP", description = "a directory of .mnk files, or a .mkb module")
    Path app;

    @Mixin QueryCheckOptions queries = new QueryCheckOptions();

    private final AppLoader loader;

    CheckCommand(AppLoader loader) {
        this.loader = loader;
    }

    @Override public Integer call() throws Exception {
        LoadedApp loaded = loader.load(app);
        QueryCheck.run(loaded, app, queries, spec.commandLine().getErr());
        int routes = loaded.module().routes().size();
        int tests = loaded.module().tests().size();
        spec.commandLine().getOut().printf("%s: ok (%d route%s, %d test%s)%n", app,
                routes, routes == 1 ? "" : "s", tests, tests == 1 ? "" : "s");
        return ExitCode.OK;
    }
}

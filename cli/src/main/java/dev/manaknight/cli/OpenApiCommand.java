package dev.manaknight.cli;

import dev.manaknight.runtime.openapi.OpenApi;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `manaknight openapi APP`: print the app's OpenAPI 3.1 document. */
@Command(name = "openapi", description = "Print the app's OpenAPI 3.1 document (JSON).")
final class OpenApiCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "APP", description = "a directory of .mnk files, or a .mkb module")
    Path app;

    @Option(names = "--title", paramLabel = "TEXT", description = "info.title (default: the app's directory or file name)")
    String title;

    private final AppLoader loader;

    OpenApiCommand(AppLoader loader) {
        this.loader = loader;
    }

    @Override public Integer call() throws Exception {
        LoadedApp loaded = loader.load(app);
        var out = spec.commandLine().getOut();
        out.print(OpenApi.render(loaded.module(), title != null ? title : loaded.name()));
        out.flush();
        return ExitCode.OK;
    }
}

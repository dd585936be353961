package dev.manaknight.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `manaknight dev APP`: `serve` for development. The app is served as `serve` serves it, and
 * every save of its sources, config, schema or migrations recompiles it and swaps the new program
 * in ({@link DevReloader}); a save that does not compile prints its code frames while the last
 * good program keeps serving.
 */
@Command(name = "dev", description = "Serve an app over HTTP/1.1 and reload it on every save (development).")
final class DevCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "an app directory")
    Path app;

    @Spec CommandSpec spec;

    @Mixin ServeOptions options;

    @Override public Integer call() throws Exception {
        var cfg = options.load(spec.commandLine(), app);
        if (!Files.isDirectory(cfg.app()))
            throw new CommandLine.ParameterException(spec.commandLine(), "dev: " + cfg.app()
                    + " is not an app directory (a module file has no sources to watch: serve it with `serve`)");
        // The first program must compile: there is no last good one to keep serving yet.
        return HttpServing.run("dev", cfg, AppLoader.standard().programFor(cfg), (server, setup) ->
                DevReloader.start(() -> options.load(spec.commandLine(), app), server, setup));
    }
}

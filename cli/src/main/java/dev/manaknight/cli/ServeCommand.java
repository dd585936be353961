package dev.manaknight.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `manaknight serve`: Serve an app over HTTP/1.1. */
@Command(name = "serve", description = "Serve an app over HTTP/1.1.")
public final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "an app directory or a .mkb file")
    Path app;

    @Spec CommandSpec spec;

    @Mixin ServeOptions options;

    @Override public Integer call() throws Exception {
        var cfg = options.load(spec.commandLine(), app);
        // Compiled or read, every program is verified before it serves: the VM trusts verified code.
        return HttpServing.run("serve", cfg, AppLoader.standard().programFor(cfg), HttpServing.Companion.NONE);
    }
}

package dev.manaknight.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `manaknight fpm --config F [--graceful]`: the FastCGI server. Its options parse; it does not run yet. */
@Command(name = "fpm", description = "FastCGI server, a PHP-FPM stand-in (NOT IMPLEMENTED YET).")
final class FpmCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "the TOML configuration (RUNTIME.md §2)")
    Path config;

    @Option(names = "--graceful", description = "start beside a running instance on the same address, then take over")
    boolean graceful;

    @Override public Integer call() {
        spec.commandLine().getErr().println(
                "manaknight fpm: not implemented yet (the FastCGI server is still to come); use `manaknight serve` for now");
        return ExitCode.SOFTWARE;
    }
}

package dev.manaknight.cli;

import dev.manaknight.fcgi.FpmServer;
import dev.manaknight.fcgi.FpmSignals;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigException;
import dev.manaknight.runtime.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `manaknight fpm --config F [--graceful | -t]`: the FastCGI server with PHP-FPM's signals: QUIT and
 * TERM drain and exit 0, USR2/HUP reload config and program in place, USR1 reopens the logs
 * ({@link FpmSignals}; QUIT needs the launcher's `-Xrs` and blocked signals). `-t` checks the
 * config and the program as a reload would load them, and exits, as `php-fpm -t` does.
 */
@Command(name = "fpm", description = "FastCGI server, a PHP-FPM stand-in (Manaknight-FPM).")
final class FpmCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "the TOML configuration (the app's manaknight.toml keys)")
    Path config;

    @Option(names = "--graceful", description = "start beside a running instance on the same address, then take over")
    boolean graceful;

    @Option(names = {"-t", "--test"}, description = "read the config, load and verify the program, then exit (php-fpm -t)")
    boolean test;

    @Override public Integer call() throws Exception {
        Path file = config;
        FpmServer.ConfigSource configs = () -> {
            Config c = ConfigLoader.load(null, file);
            if (c.app() == null) throw new ConfigException(file + ": no app (set `app` to a directory or .mkb file)");
            return c;
        };
        FpmServer.ProgramLoader programs = new FpmServer.ProgramLoader() {
            @Override public Program load(Config c) throws Exception { return AppLoader.standard().programFor(c); }

            @Override public String describe(Exception e) { return ErrorReport.describe(e); }
        };
        if (test) {
            // What a reload would load, checked before sending the signal: `manaknight fpm -t && kill -USR2`.
            Config c = configs.load();
            programs.load(c);
            dev.manaknight.runtime.Deployment.warnings(c).forEach(w -> spec.commandLine().getErr().println("manaknight: warning: " + w));
            spec.commandLine().getOut().println("manaknight: configuration " + file + " and program " + c.app() + " test is successful");
            return ExitCode.OK;
        }
        FpmSignals signals = FpmSignals.prepare();
        FpmServer server = FpmServer.start(configs, programs, graceful);
        var out = spec.commandLine().getOut();
        out.println("manaknight: fpm listening on " + server.address());
        out.flush();
        signals.serveUntilStopped(server);
        return ExitCode.OK;
    }
}

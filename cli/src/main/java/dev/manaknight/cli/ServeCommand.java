package dev.manaknight.cli;

import dev.manaknight.http.HttpServer;
import dev.manaknight.http.ServeMetrics;
import java.util.List;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigException;
import dev.manaknight.runtime.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `manaknight serve`: Serve an app over HTTP/1.1. */
@Command(name = "serve", description = "Serve an app over HTTP/1.1.")
public final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "an app directory or a .mkb file")
    Path app;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", description = "port to listen on (default 8080)")
    Integer port;

    @Option(names = "--host", description = "address to listen on (default 127.0.0.1)")
    String host;

    @Option(names = "--config", paramLabel = "F", description = "a TOML config (default: APP/manaknight.toml)")
    Path config;

    @Override public Integer call() throws Exception {
        if (port != null && (port < 0 || port > 65535))
            throw new CommandLine.ParameterException(spec.commandLine(), "--port: expected 0 to 65535, got " + port);
        Config cfg = ConfigLoader.load(app, config).withListen(host, port);
        if (cfg.app() == null) throw new ConfigException("no app given (pass APP or set `app` in the config)");
        if (cfg.server().unix()) throw new ConfigException("`server.listen` must be host:port (unix sockets are for `fpm`)");
        // Compiled or read, every program is verified before it serves: the VM trusts verified code.
        // Its config keys' values too: a missing or ill-typed one stops the start here, naming the key.
        Program program = cfg.settings().bind(AppLoader.standard().load(cfg.app()).program());
        ModuleSchema.require(cfg.app(), program, cfg);
        Deployment.warnings(cfg).forEach(w -> System.err.println("manaknight: warning: " + w));
        // Before the database is opened and the app warmed up: a taken port fails at once, naming it.
        HttpServer.checkFree(cfg.server().host(), cfg.server().port());
        var metrics = new ServeMetrics();
        try (Deployment deployment = Deployment.open(program, cfg, Deployment.Setup.server(null, metrics))) {
            List<String> hidden = HttpServer.probeCollisions(deployment);
            if (!hidden.isEmpty())
                throw new ConfigException("the app's route " + hidden.getFirst() + " is on a path `serve` answers itself "
                        + "(server.health_path, ready_path or metrics_path): move the route or set the path");
            HttpServer server = HttpServer.start(deployment, HttpServer.Options.of(cfg), metrics);
            var stopped = new CountDownLatch(1);
            // SIGTERM: stop accepting, drain within drain_timeout, then return 0 (a plain shutdown
            // hook would drain too, but the JVM would then exit 143). SIGINT drains through the hook.
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> Thread.ofPlatform().start(() -> {
                server.close();
                stopped.countDown();
            }));
            // SIGUSR1 (after logrotate): the access and slow logs reopened, the journal's next record in a new segment.
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), sig -> {
                try {
                    deployment.reopenLogs();
                    System.err.println("manaknight: SIGUSR1: logs reopened" + (deployment.journal() == null ? ""
                            : ", the journal's next record starts a new segment"));
                } catch (IOException e) {
                    System.err.println("manaknight: SIGUSR1: reopening the logs failed: " + e.getMessage());
                }
            });
            // SIGINT: drain, then flush the buffered logs (main never leaves await() on this path).
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                server.close();
                deployment.close();
            }));
            System.out.println("manaknight: listening on " + server.url());
            System.out.flush();
            stopped.await();
            return 0;
        } catch (dev.manaknight.runtime.effects.MigrationException e) {
            System.err.println("manaknight serve: " + e.getMessage());
            return ExitCode.DATA;
        } catch (IOException | SQLException e) {
            System.err.println("manaknight serve: " + e.getMessage());
            return 74;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (RuntimeException e) {
            System.err.println("manaknight serve: " + e.getMessage());
            return 70;
        }
    }
}

package dev.manaknight.cli;

import dev.manaknight.http.HttpServer;
import dev.manaknight.http.ServeMetrics;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Admission;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.DeploymentSlot;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigException;
import dev.manaknight.runtime.effects.MigrationException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One run of `serve` or `dev`: the configuration checked, the deployment opened, the HTTP server
 * started, SIGTERM (drain, exit 0), SIGINT and SIGUSR1 (logs reopened) handled until it stops.
 * What `dev` adds, its watcher, runs beside the server as a {@link Companion}.
 */
final class HttpServing {
    private HttpServing() {}

    /** What runs beside the server: started once it listens, closed before it stops. */
    interface Companion {
        Companion NONE = (server, setup) -> () -> { };

        /** @param setup how every later deployment of this server is opened (its admission and metrics are the server's) */
        AutoCloseable start(HttpServer server, Deployment.Setup setup) throws IOException;
    }

    /** Routes that `server.health_path`, `ready_path` or `metrics_path` would hide refuse the deployment. */
    static void refuseHiddenRoutes(Deployment deployment) throws ConfigException {
        List<String> hidden = HttpServer.probeCollisions(deployment);
        if (!hidden.isEmpty())
            throw new ConfigException("the app's route " + hidden.getFirst() + " is on a path `serve` answers itself "
                    + "(server.health_path, ready_path or metrics_path): move the route or set the path");
    }

    /** Serves `program` until SIGTERM; the exit code. `command` names the command in messages. */
    static int run(String command, Config cfg, Program program, Companion companion) throws Exception {
        Deployment.warnings(cfg).forEach(w -> System.err.println("manaknight: warning: " + w));
        // Before the database is opened and the app warmed up: a taken port fails at once, naming it.
        HttpServer.checkFree(cfg.server().host(), cfg.server().port());
        var metrics = new ServeMetrics();
        // One admission for every deployment this server holds: a reload keeps `workers` and the drain's count.
        var setup = Deployment.Setup.server(new Admission(cfg.server().workers(), cfg.server().queue()), metrics);
        Deployment first;
        try {
            first = Deployment.open(program, cfg, setup);
        } catch (MigrationException e) {
            System.err.println("manaknight " + command + ": " + e.getMessage());
            return ExitCode.DATA;
        } catch (IOException | SQLException e) {
            System.err.println("manaknight " + command + ": " + e.getMessage());
            return ExitCode.IO;
        } catch (RuntimeException e) {
            System.err.println("manaknight " + command + ": " + e.getMessage());
            return ExitCode.SOFTWARE;
        }
        var slot = new DeploymentSlot(first);
        AutoCloseable beside = null;
        try {
            refuseHiddenRoutes(first);
            HttpServer server = HttpServer.start(slot, HttpServer.Options.of(cfg), metrics);
            beside = companion.start(server, setup);
            AutoCloseable watcher = beside;
            var stopped = new CountDownLatch(1);
            // SIGTERM: stop accepting, drain within drain_timeout, then return 0 (a plain shutdown
            // hook would drain too, but the JVM would then exit 143). SIGINT drains through the hook.
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> Thread.ofPlatform().start(() -> {
                closeQuietly(watcher);
                server.close();
                stopped.countDown();
            }));
            // SIGUSR1 (after logrotate): the access and slow logs reopened, the journal's next record in a new segment.
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), sig -> {
                Deployment now = slot.current();
                try {
                    now.reopenLogs();
                    System.err.println("manaknight: SIGUSR1: logs reopened" + (now.journal() == null ? ""
                            : ", the journal's next record starts a new segment"));
                } catch (IOException e) {
                    System.err.println("manaknight: SIGUSR1: reopening the logs failed: " + e.getMessage());
                }
            });
            // SIGINT: drain, then flush the buffered logs (main never leaves await() on this path).
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                closeQuietly(watcher);
                server.close();
                slot.current().close();
            }));
            System.out.println("manaknight: listening on " + server.url());
            System.out.flush();
            stopped.await();
            return ExitCode.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.OK;
        } catch (IOException e) {
            System.err.println("manaknight " + command + ": " + e.getMessage());
            return ExitCode.IO;
        } catch (RuntimeException e) {
            System.err.println("manaknight " + command + ": " + e.getMessage());
            return ExitCode.SOFTWARE;
        } finally {
            closeQuietly(beside);
            slot.current().close();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("manaknight: closing: " + e.getMessage());
        }
    }
}

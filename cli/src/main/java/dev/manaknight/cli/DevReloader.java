package dev.manaknight.cli;

import dev.manaknight.http.HttpServer;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.DeploymentSlot;
import dev.manaknight.runtime.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * `dev`'s reload: when a watched file is saved, reads the config again, compiles the app and
 * opens it as `serve` would (new migrations applied), then swaps it into the server's
 * {@link DeploymentSlot}, as `fpm`'s reload does: requests running finish on the old program, new
 * ones get the new one. A save that does not compile (or whose config or migrations fail) prints
 * what `check` prints, code frames included, and the last good program keeps serving.
 */
final class DevReloader implements AutoCloseable {
    /**
     * How the config is read at each reload: APP's own or `--config`'s file, with the command
     * line's `--host` and `--port` over it, exactly as at the start.
     */
    interface ConfigSource {
        Config load() throws Exception;
    }

    private final ConfigSource configs;
    private final DeploymentSlot slot;
    private final Deployment.Setup setup;
    private final PrintStream out;
    private final PrintStream err;
    private final SourceWatcher watcher;

    private DevReloader(ConfigSource configs, HttpServer server, Deployment.Setup setup, PrintStream out, PrintStream err)
            throws IOException {
        this.configs = configs;
        this.slot = server.slot();
        this.setup = setup;
        this.out = out;
        this.err = err;
        Config first = slot.current().config();
        this.watcher = SourceWatcher.start(watched(first), relevant(first), this::reload);
    }

    /** Watches the app that `server` serves and reloads it on every save until closed. */
    static DevReloader start(ConfigSource configs, HttpServer server, Deployment.Setup setup) throws IOException {
        return new DevReloader(configs, server, setup, System.out, System.err);
    }

    /** The app's folder, and the folders of its config file, schema and migrations when they are elsewhere. */
    static List<Path> watched(Config cfg) {
        var roots = new ArrayList<Path>();
        roots.add(cfg.app().toAbsolutePath().normalize());
        for (Path p : new Path[] {cfg.source(), cfg.db().schema()})
            if (p != null) roots.add(p.toAbsolutePath().normalize().getParent());
        if (cfg.db().migrations() != null) roots.add(cfg.db().migrations().toAbsolutePath().normalize());
        return roots.stream().distinct().filter(r -> roots.stream().noneMatch(o -> !o.equals(r) && r.startsWith(o))).toList();
    }

    /**
     * What a reload follows: the app's `.mnk` files, its `manaknight.toml` (or `--config`'s file),
     * the schema script and the migrations. Not the database file, its journal, logs or editors' backups.
     */
    static Predicate<Path> relevant(Config cfg) {
        Path app = cfg.app().toAbsolutePath().normalize();
        Path config = cfg.source() != null ? cfg.source().toAbsolutePath().normalize() : app.resolve("manaknight.toml");
        Path schema = cfg.db().schema() != null ? cfg.db().schema().toAbsolutePath().normalize() : app.resolve("schema.sql");
        Path migrations = cfg.db().migrations() != null ? cfg.db().migrations().toAbsolutePath().normalize()
                : app.resolve("migrations");
        return p -> {
            Path a = p.toAbsolutePath().normalize();
            String name = a.getFileName() == null ? "" : a.getFileName().toString();
            return name.endsWith(".mnk") && a.startsWith(app) || a.equals(config) || a.equals(app.resolve("manaknight.toml"))
                    || a.equals(schema) || a.startsWith(migrations) && name.endsWith(".sql");
        };
    }

    /** One burst of saves: the program compiled and swapped in, or the failure said and the old one kept. */
    void reload(Set<Path> changed) {
        long started = System.nanoTime();
        Deployment old = slot.current();
        Deployment next;
        try {
            Config cfg = configs.load();
            Program program = AppLoader.standard().programFor(cfg);
            next = Deployment.open(program, cfg, setup);
            try {
                HttpServing.refuseHiddenRoutes(next);
            } catch (Exception e) {
                next.close();
                throw e;
            }
        } catch (Exception e) {
            err.print(ErrorReport.describe(e));
            err.println("manaknight dev: not reloaded; the last good program keeps serving (fix it and save again)");
            err.flush();
            return;
        }
        Config was = old.config(), now = next.config();
        if (!was.server().equals(now.server()))
            err.println("manaknight dev: warning: [server] changes (listen, workers, queue, connections, probes) take effect "
                    + "when `dev` starts again");
        if (now.db().migrations() == null && now.db().schema() != null
                && changed.contains(now.db().schema().toAbsolutePath().normalize()))
            err.println("manaknight dev: note: " + now.db().schema() + " changed, but a schema script is applied only to a "
                    + "database without tables: the database keeps the tables it has. To start over, stop `dev`, delete the "
                    + "database file (its data goes with it) and start again; to change a database step by step, "
                    + "use migrations/");
        slot.swap(next, was.server().drainTimeout());
        long ms = (System.nanoTime() - started) / 1_000_000;
        out.println("manaknight: reloaded " + name(now.app()) + " in " + ms + " ms");
        out.flush();
    }

    private static String name(Path app) {
        Path n = app.toAbsolutePath().normalize().getFileName();
        return n == null ? app.toString() : n.toString();
    }

    @Override public void close() throws IOException {
        watcher.close();
    }
}

package dev.manaknight.runtime;

import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.PooledDatabase;
import dev.manaknight.runtime.effects.Schema;
import dev.manaknight.runtime.openapi.OpenApi;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;

/** Builds a {@link RequestCore} from a program and a configuration: what every transport's command does first. */
public final class AppRuntime {
    private AppRuntime() {}

    /** {@link #open(Program, Config, AccessLog)} with the logs the configuration names. */
    public static RequestCore open(Program program, Config config) throws IOException, SQLException {
        AccessLog logs = accessLog(config.log().access());
        if (config.log().slowlog() != null)
            logs = AccessLog.both(logs, SlowLog.toFile(config.log().slowlogTimeout(), config.log().slowlog()));
        try {
            return open(program, config, logs);
        } catch (IOException | SQLException | RuntimeException e) {
            logs.close();
            throw e;
        }
    }

    /**
     * Opens the database (only when the app declares queries), applies the schema when it has
     * no tables, warms the request path up (so the first request does not pay class loading),
     * and returns the core with real VMs writing to `logs` (which it closes).
     */
    public static RequestCore open(Program program, Config config, AccessLog logs) throws IOException, SQLException {
        Database db = null;
        if (RequestCore.usesDatabase(program.module())) {
            db = Schema.prepare(PooledDatabase.open(config.db().url(), config.db().pool()), config.db().schema());
        }
        byte[] openApi = config.server().openapi()
                ? OpenApi.render(program.module(), title(config.app())).getBytes(StandardCharsets.UTF_8) : null;
        var options = new RequestCore.Options(config.limits().body(), config.limits().timeout(), config.log().dev(), openApi);
        Warmup.run(program.module(), db);
        return new RequestCore(program.module(), new VmExecutor(program, config.limits().vm()), db, options, logs);
    }

    /** The OpenAPI title: the app directory's name, or the module file's without `.mkb`. */
    static String title(Path app) {
        if (app == null || app.toAbsolutePath().normalize().getFileName() == null) return "app";
        String name = app.toAbsolutePath().normalize().getFileName().toString();
        return name.endsWith(".mkb") ? name.substring(0, name.length() - 4) : name;
    }

    /** `off`, `stdout`, `stderr` or a file (appended to), buffered and flushed in the background. */
    static AccessLog accessLog(String where) throws IOException {
        return switch (where) {
            case "off" -> AccessLog.NONE;
            case "stdout" -> AccessLog.json(new LineSink(System.out, false));
            case "stderr" -> AccessLog.json(new LineSink(System.err, false));
            default -> AccessLog.json(new LineSink(new FileOutputStream(where, true), true));
        };
    }
}

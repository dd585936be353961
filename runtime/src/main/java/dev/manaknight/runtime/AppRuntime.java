package dev.manaknight.runtime;

import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.PooledDatabase;
import dev.manaknight.runtime.effects.Schema;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;

/** Builds a {@link RequestCore} from a program and a configuration: what every transport's command does first. */
public final class AppRuntime {
    private AppRuntime() {}

    /**
     * Opens the database (only when the app declares queries), applies the schema when it has
     * no tables, opens the access log, and returns the core with real VMs.
     */
    public static RequestCore open(Program program, Config config) throws IOException, SQLException {
        Database db = null;
        if (RequestCore.usesDatabase(program.module())) {
            db = PooledDatabase.open(config.db().url(), config.db().pool());
            try {
                if (config.db().schema() != null)
                    Schema.applyIfEmpty(db, Files.readString(config.db().schema(), StandardCharsets.UTF_8));
            } catch (IOException | SQLException | RuntimeException e) {
                db.close();
                throw e;
            }
        }
        var options = new RequestCore.Options(config.limits().body(), config.limits().timeout(), config.log().dev());
        return new RequestCore(program.module(), new VmExecutor(program, config.limits().vm()), db, options,
                accessLog(config.log().access()));
    }

    static AccessLog accessLog(String where) throws IOException {
        return switch (where) {
            case "off" -> AccessLog.NONE;
            case "stdout" -> AccessLog.json(System.out);
            case "stderr" -> AccessLog.json(System.err);
            default -> AccessLog.json(new PrintStream(new FileOutputStream(where, true), true, StandardCharsets.UTF_8));
        };
    }
}

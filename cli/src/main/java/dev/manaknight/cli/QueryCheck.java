package dev.manaknight.cli;

import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import dev.manaknight.runtime.sqlcheck.SqlChecker;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The queries of a compiled app checked against its schema (`check` and `build`): a query the
 * schema refutes fails the command like a type error (65), with its code frame; what could not
 * be checked is a warning line, never silence.
 */
final class QueryCheck {
    private QueryCheck() {}

    /** @param options `--config` (else APP/manaknight.toml) and `--db` (the PostgreSQL to check against), either null */
    static void run(LoadedApp loaded, Path app, QueryCheckOptions options, PrintWriter err) throws Exception {
        if (loaded.sources().isEmpty()) return; // a module file: its SQL strings have no source to point into
        Config cfg = ConfigLoader.load(app, options.config);
        SqlChecker.Result r = SqlChecker.check(loaded.module(), loaded.sources(), cfg.db(), options.db);
        for (String w : r.warnings()) err.println("manaknight: warning: " + w);
        err.flush();
        if (!r.errors().isEmpty()) throw new CompileException(r.errors());
    }
}

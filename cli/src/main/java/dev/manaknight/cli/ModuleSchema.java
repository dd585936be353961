package dev.manaknight.cli;

import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.RequestCore;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses to serve a `.mkb` that queries a database with nothing to make its tables: a module
 * carries the program only, and served without its schema it would start on an empty database
 * where every request fails with "no such table" (issue 16).
 */
final class ModuleSchema {
    private ModuleSchema() {}

    /** Throws when `app` is a module file whose program uses the database and `config` names neither schema nor migrations. */
    static void require(Path app, Program program, Config config) throws ConfigException {
        if (app == null || Files.isDirectory(app) || !RequestCore.usesDatabase(program.module())) return;
        if (config.db().schema() != null || config.db().migrations() != null) return;
        throw new ConfigException(app + " carries the program, not its schema: put schema.sql or migrations/ beside it, "
                + "or name db.schema or db.migrations in the config (--config)");
    }
}

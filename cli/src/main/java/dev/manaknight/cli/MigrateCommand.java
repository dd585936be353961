package dev.manaknight.cli;

import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import dev.manaknight.runtime.effects.Migration;
import dev.manaknight.runtime.effects.Migrator;
import dev.manaknight.runtime.effects.PooledDatabase;
import dev.manaknight.runtime.effects.Schema;
import dev.manaknight.runtime.effects.SingleConnectionDatabase;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `manaknight migrate APP [--config F] [--baseline V]`: brings the app's database up to date and
 * exits — its pending migrations applied (as every start applies them), or its schema.sql when
 * the database has no tables — without compiling or serving the app. For a deploy that migrates
 * first, and for a schema change too long for a start.
 */
@Command(name = "migrate", description = "Apply an app's pending migrations (or its schema.sql to an empty database) and exit.")
final class MigrateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "APP", description = "an app directory or a .mkb file (its migrations/ or schema.sql beside it)")
    Path app;

    @Option(names = "--config", paramLabel = "F", description = "a TOML config (default: APP/manaknight.toml)")
    Path config;

    @Option(names = "--baseline", paramLabel = "V", description = "first record the migrations up to version V as applied "
            + "without running them: for a database made before the app had migrations")
    Long baseline;

    @Override public Integer call() throws Exception {
        Config cfg = ConfigLoader.load(app, config);
        Config.Db db = cfg.db();
        PrintWriter out = spec.commandLine().getOut();
        if (baseline != null && db.migrations() == null)
            throw new CommandLine.ParameterException(spec.commandLine(), "--baseline: " + app + " has no migrations folder");
        if (baseline != null && baseline < 1)
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--baseline: expected a version of 1 or more, got " + baseline);
        String name = PooledDatabase.describe(db.url());
        if (db.migrations() == null && db.schema() == null) {
            out.printf("%s: no migrations folder and no schema.sql: nothing to apply to %s%n", app, name);
            return ExitCode.OK;
        }
        try (var database = SingleConnectionDatabase.connect(db.url(), cfg.limits().timeout(), db.connectTimeout())) {
            if (db.migrations() == null) {
                boolean ran = Schema.applyIfEmpty(database, Files.readString(db.schema(), StandardCharsets.UTF_8));
                out.printf(ran ? "%s: applied %s to %s%n" : "%s: %s has tables: %s applies only to an empty database, "
                        + "and was not run%n", app, ran ? db.schema() : name, ran ? name : db.schema());
                return ExitCode.OK;
            }
            if (baseline != null) {
                List<Migration> recorded = Schema.baseline(database, db.migrations(), baseline, name);
                out.printf("%s: recorded %s as applied to %s, without running %s%n", app, files(recorded), name,
                        recorded.size() == 1 ? "it" : "them");
            }
            Migrator.Report report = Schema.migrate(database, db.migrations(), name);
            if (report.applied().isEmpty())
                out.printf("%s: %s is up to date (%d migration%s)%n", app, name, report.total(), report.total() == 1 ? "" : "s");
            else
                out.printf("%s: applied %s to %s%n", app, files(report.applied()), name);
        }
        return ExitCode.OK;
    }

    private static String files(List<Migration> ms) {
        return String.join(", ", ms.stream().map(Migration::file).toList());
    }
}

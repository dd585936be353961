package dev.manaknight.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the query check that `check` and `build` share (a picocli mixin). */
final class QueryCheckOptions {
    @Option(names = "--config", paramLabel = "F", description = "a TOML config (default: APP/manaknight.toml): its database "
            + "decides the SQL dialect the queries are checked in")
    Path config;

    @Option(names = "--db", paramLabel = "URL", description = "for an app on PostgreSQL: a PostgreSQL to check the queries "
            + "against (postgresql://…); its migrations run in a schema of their own and are rolled back")
    String db;
}

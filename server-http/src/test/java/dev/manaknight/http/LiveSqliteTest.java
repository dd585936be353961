package dev.manaknight.http;

import java.nio.file.Path;

/** The database contract on the embedded default, SQLite in a file. */
class LiveSqliteTest extends LiveDatabaseContract {
    @Override LiveApp start(Path dir, String toml) throws Exception { return LiveApp.sqlite(dir, toml); }

    @Override LiveApp restart(Path dir, String toml) throws Exception { return LiveApp.sqlite(dir, toml); }

    @Override boolean postgres() { return false; }
}

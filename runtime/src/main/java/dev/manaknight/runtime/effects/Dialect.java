package dev.manaknight.runtime.effects;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The two databases an app runs on, as far as scripts (a schema, a migration) are concerned: each
 * runs a whole script with its own parser, so a `CREATE TRIGGER … BEGIN …; END;` (SQLite) or a
 * `$$` function body (PostgreSQL) is one statement, as the database's own shell would run it.
 */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    /** The name of this dialect's folder under `migrations/` when an app keeps one set per database. */
    public final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The dialect of a config URL (`sqlite:…`, `postgresql://…`, `postgres://…`). */
    public static Dialect ofUrl(String url) {
        if (url.startsWith("sqlite:") || url.startsWith("jdbc:sqlite:")) return SQLITE;
        if (url.startsWith("postgresql://") || url.startsWith("postgres://") || url.startsWith("jdbc:postgresql:"))
            return POSTGRESQL;
        throw new IllegalArgumentException("unsupported database url `" + url + "`: use sqlite:PATH or postgresql://…");
    }

    /** The dialect of an open connection. */
    public static Dialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        if ("SQLite".equalsIgnoreCase(product)) return SQLITE;
        if ("PostgreSQL".equalsIgnoreCase(product)) return POSTGRESQL;
        throw new SQLException("unsupported database " + product);
    }

    /**
     * The schema pattern for metadata lookups of the app's own tables: PostgreSQL's
     * `current_schema()` (a database may hold other apps' schemas), none for SQLite.
     */
    public String schema(Connection c) throws SQLException {
        return this == POSTGRESQL ? c.getSchema() : null;
    }

    /**
     * Runs a whole script, every statement in it, in the connection's current transaction.
     * SQLite: sqlite-jdbc's `executeUpdate` hands the text to `sqlite3_exec`, which runs one
     * statement after the other as SQLite's parser finds their ends (`execute` would run only the
     * first). PostgreSQL: pgjdbc splits the text with its own parser (strings, comments, `$$`
     * bodies) and sends every statement; `execute`, because a script may hold a `SELECT`
     * (`SELECT setval(…)`), which `executeUpdate` refuses.
     */
    public void runScript(Connection c, String script) throws SQLException {
        try (Statement st = c.createStatement()) {
            switch (this) {
                case SQLITE -> st.executeUpdate(script);
                case POSTGRESQL -> st.execute(script);
            }
        }
    }
}

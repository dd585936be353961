package dev.manaknight.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manaknight.runtime.effects.PooledDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;

/**
 * The database contract on PostgreSQL, when `MANAKNIGHT_TEST_PG_URL` names one
 * (`.ci/postgres.sh` prints it); skipped otherwise. Each test starts from a database without
 * the app's table, so the schema is applied again.
 */
class LivePostgresTest extends LiveDatabaseContract {
    private static final String URL = System.getenv("MANAKNIGHT_TEST_PG_URL");

    @BeforeEach void dropTheTable() throws Exception {
        assumeTrue(URL != null && !URL.isBlank(), "MANAKNIGHT_TEST_PG_URL is not set");
        try (Connection c = DriverManager.getConnection(PooledDatabase.jdbcUrl(URL)); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS pets, owners, items");
        }
    }

    @Override LiveApp start(Path dir, String toml) throws Exception { return restart(dir, toml); }

    @Override LiveApp restart(Path dir, String toml) throws Exception {
        Files.writeString(dir.resolve("schema.sql"), LiveApp.resource("schema-postgresql.sql"));
        return LiveApp.start(dir, "[db]\nurl = \"" + URL + "\"\npool = 4\nschema = \"schema.sql\"\n" + toml);
    }

    @Override boolean postgres() { return true; }
}

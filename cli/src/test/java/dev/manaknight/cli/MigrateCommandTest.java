package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: `manaknight migrate APP` only migrates, says what it did, and refuses a changed migration with 65. */
class MigrateCommandTest {
    @TempDir Path dir;

    Cli run(String... args) {
        return Cli.run(new FakeToolchain().loader(), args);
    }

    @Test void appliesPendingMigrationsOnceAndRefusesAChangedOne() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Path migrations = Files.createDirectories(app.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__users.sql"),
                "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);");
        Files.writeString(migrations.resolve("V2__email.sql"), "CREATE UNIQUE INDEX users_email ON users (email);");

        Cli first = run("migrate", app.toString());
        assertEquals(0, first.code(), first.toString());
        assertTrue(first.out().contains(": applied V1__users.sql, V2__email.sql to the database file " + app.resolve("app.db")
                .toAbsolutePath()), first.toString());
        Cli again = run("migrate", app.toString());
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().contains("is up to date (2 migrations)"), again.toString());

        Files.writeString(migrations.resolve("V2__email.sql"), "CREATE INDEX users_email ON users (email);");
        Cli changed = run("migrate", app.toString());
        assertEquals(65, changed.code(), changed.toString());
        assertTrue(changed.err().startsWith("manaknight: " + migrations.resolve("V2__email.sql")
                + " was changed after it was applied"), changed.toString());
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + app.resolve("app.db"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM manaknight_migrations")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
        }
    }

    @Test void aSchemaScriptAppliesOnlyToAnEmptyDatabase() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("schema.sql"), "CREATE TABLE t (x INTEGER);\nCREATE TRIGGER t_x BEFORE DELETE ON t BEGIN "
                + "SELECT RAISE(ABORT, 'no'); END;");
        Cli first = run("migrate", app.toString());
        assertEquals(0, first.code(), first.toString());
        assertTrue(first.out().contains(": applied " + app.resolve("schema.sql")), first.toString());
        Cli again = run("migrate", app.toString());
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().contains("applies only to an empty database, and was not run"), again.toString());
    }

    @Test void aBaselineRecordsWhatAnOlderDatabaseAlreadyHas() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + app.resolve("app.db")); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE users (id INTEGER PRIMARY KEY)");
        }
        Path migrations = Files.createDirectories(app.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__users.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY);");
        Files.writeString(migrations.resolve("V2__name.sql"), "ALTER TABLE users ADD COLUMN name TEXT;");
        Cli refused = run("migrate", app.toString());
        assertEquals(65, refused.code(), refused.toString());
        assertTrue(refused.err().contains("--baseline VERSION"), refused.toString());
        Cli baseline = run("migrate", app.toString(), "--baseline", "1");
        assertEquals(0, baseline.code(), baseline.toString());
        assertTrue(baseline.out().contains("recorded V1__users.sql as applied"), baseline.toString());
        assertTrue(baseline.out().contains("applied V2__name.sql"), baseline.toString());
    }
}

package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: `check` and `build` prepare every query against the app's schema; a refuted one is a compile error (65). */
class QueryCheckTest {
    @TempDir Path dir;

    Cli run(String... args) {
        return Cli.run(AppLoader.standard(), args);
    }

    Path app(String column) throws Exception {
        Path app = Files.createDirectory(dir.resolve("users"));
        Files.writeString(app.resolve("users.mnk"), RealToolchainTest.SEED);
        Files.writeString(app.resolve("types.mnk"), RealToolchainTest.TYPES);
        Path migrations = Files.createDirectory(app.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__users.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                + column + " TEXT NOT NULL);");
        return app;
    }

    @Test void aQueryTheSchemaRefutesFailsCheckAndBuild() throws Exception {
        Path app = app("mail");
        Cli check = run("check", app.toString());
        assertEquals(65, check.code(), check.toString());
        assertTrue(check.err().startsWith("types.mnk:4:"), check.toString());
        assertTrue(check.err().contains("error[E0721]: no column `email` in the tables of `findUser`"), check.toString());
        assertTrue(check.err().endsWith("\n1 error\n"), check.toString());
        Cli build = run("build", app.toString(), "-o", dir.resolve("users.mkb").toString());
        assertEquals(65, build.code(), build.toString());
        assertTrue(Files.notExists(dir.resolve("users.mkb")));
    }

    @Test void aQueryTheSchemaHoldsPasses() throws Exception {
        Cli check = run("check", app("email").toString());
        assertEquals(0, check.code(), check.toString());
        assertEquals("", check.err(), check.toString());
    }

    @Test void anAppOnPostgresqlIsCheckedAgainstTheDatabaseGivenWithDb() throws Exception {
        String pg = System.getenv("MANAKNIGHT_TEST_PG_URL");
        org.junit.jupiter.api.Assumptions.assumeTrue(pg != null && !pg.isBlank(), "MANAKNIGHT_TEST_PG_URL is not set");
        Path app = app("mail");
        Files.writeString(app.resolve("manaknight.toml"), "[db]\nurl = \"postgresql://db.internal/users\"\n");
        Cli check = run("check", app.toString(), "--db", pg);
        assertEquals(65, check.code(), check.toString());
        assertTrue(check.err().contains("error[E0721]: no column `email` in the tables of `findUser`"), check.toString());
    }

    @Test void anAppOnPostgresqlWithoutADatabaseToCheckAgainstSaysSo() throws Exception {
        Path app = app("email");
        Files.writeString(app.resolve("manaknight.toml"), "[db]\nurl = \"postgresql://db.internal/users\"\n");
        Cli check = run("check", app.toString());
        assertEquals(0, check.code(), check.toString());
        assertTrue(check.err().startsWith("manaknight: warning: the queries are not checked: the app's database is PostgreSQL"),
                check.toString());
    }
}

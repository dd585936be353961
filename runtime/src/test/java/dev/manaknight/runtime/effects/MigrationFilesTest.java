package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: an app's migration files are read strictly, in numeric order, per database when it keeps two sets. */
class MigrationFilesTest {
    @TempDir Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    @Test void versionsApplyInNumericOrderAndOtherFilesAreIgnored() throws Exception {
        write("V10__ten.sql", "SELECT 10;");
        write("V9__nine.sql", "SELECT 9;");
        write("V1__one.sql", "SELECT 1;");
        write("README.md", "how to write one");
        List<Migration> ms = MigrationFiles.load(dir, Dialect.SQLITE);
        assertEquals(List.of(1L, 9L, 10L), ms.stream().map(Migration::version).toList());
        assertEquals("V10__ten.sql", ms.getLast().file());
        assertEquals(dir.resolve("V10__ten.sql"), ms.getLast().path());
    }

    @Test void aFileThatLooksLikeAMigrationButIsNotNamedAsOneIsRefused() throws Exception {
        write("V1__one.sql", "SELECT 1;");
        write("v2_two.sql", "SELECT 2;");
        var e = assertThrows(MigrationException.class, () -> MigrationFiles.load(dir, Dialect.SQLITE));
        assertTrue(e.getMessage().contains("v2_two.sql is not a migration's name"), e.getMessage());
    }

    @Test void twoFilesOfOneVersionAreRefused() throws Exception {
        write("V1__one.sql", "SELECT 1;");
        write("V01__other.sql", "SELECT 1;");
        var e = assertThrows(MigrationException.class, () -> MigrationFiles.load(dir, Dialect.SQLITE));
        assertTrue(e.getMessage().contains("have the same version 1"), e.getMessage());
    }

    @Test void eachDatabaseGetsItsOwnFolderWhenThereAreTwo() throws Exception {
        write("sqlite/V1__t.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);");
        write("postgresql/V1__t.sql", "CREATE TABLE t (id BIGSERIAL PRIMARY KEY);");
        assertTrue(MigrationFiles.load(dir, Dialect.SQLITE).getFirst().script().contains("INTEGER PRIMARY KEY"));
        assertTrue(MigrationFiles.load(dir, Dialect.POSTGRESQL).getFirst().script().contains("BIGSERIAL"));
    }

    @Test void aMissingFolderForTheDatabaseInUseIsRefused() throws Exception {
        write("sqlite/V1__t.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);");
        var e = assertThrows(MigrationException.class, () -> MigrationFiles.load(dir, Dialect.POSTGRESQL));
        assertTrue(e.getMessage().contains(dir.resolve("postgresql") + " does not exist"), e.getMessage());
    }

    @Test void aScriptBesideThePerDatabaseFoldersOrAnUnknownFolderIsRefused() throws Exception {
        write("sqlite/V1__t.sql", "SELECT 1;");
        write("postgresql/V1__t.sql", "SELECT 1;");
        write("V2__lost.sql", "SELECT 2;");
        var beside = assertThrows(MigrationException.class, () -> MigrationFiles.load(dir, Dialect.SQLITE));
        assertTrue(beside.getMessage().contains("V2__lost.sql is beside the per-database folders"), beside.getMessage());

        Path other = dir.resolve("single");
        Files.createDirectories(other.resolve("postgres"));
        Files.writeString(other.resolve("V1__a.sql"), "SELECT 1;");
        var typo = assertThrows(MigrationException.class, () -> MigrationFiles.load(other, Dialect.POSTGRESQL));
        assertTrue(typo.getMessage().contains("postgres/ is not a migrations folder"), typo.getMessage());
    }

    @Test void theChecksumIgnoresLineEndingsButNotText() {
        var lf = Migration.of(1, "V1__a.sql", null, "CREATE TABLE a (x INT);\nSELECT 1;\n");
        var crlf = Migration.of(1, "V1__a.sql", null, "\uFEFFCREATE TABLE a (x INT);\r\nSELECT 1;\r\n");
        var edited = Migration.of(1, "V1__a.sql", null, "CREATE TABLE a (x INT);\nSELECT 2;\n");
        assertEquals(lf.checksum(), crlf.checksum());
        assertNotEquals(lf.checksum(), edited.checksum());
        assertTrue(lf.checksum().matches("[0-9a-f]{16}-34"), lf.checksum());
    }
}

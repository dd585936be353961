package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: migrations on a real database — each applied once, also by three processes starting
 * at once; a changed applied migration refuses the start, naming its file; a failing one keeps
 * nothing; the database's own script syntax (a trigger, a `$$` body) works; a start with nothing
 * to apply takes no lock. Run on SQLite ({@link SqliteMigrationTest}) and PostgreSQL
 * ({@link PostgresMigrationTest}).
 */
abstract class MigrationContract {
    @TempDir Path dir;

    /** The config URL of a fresh, empty database. */
    abstract String url() throws Exception;

    abstract Dialect dialect();

    /** A script that makes a trigger or function with the database's own block syntax, used by {@link #scriptSyntax()}. */
    abstract String triggerScript();

    /** A statement that takes a while (so that the processes overlap). */
    abstract String slowStatement();

    /** Holds, on `c`, the lock migrations take, until {@link #releaseMigrationLock}. */
    abstract void holdMigrationLock(Connection c) throws SQLException;

    abstract void releaseMigrationLock(Connection c) throws SQLException;

    SingleConnectionDatabase open() throws Exception {
        // generous: this machine may be loaded, and these tests are not about timeouts
        return SingleConnectionDatabase.connect(url(), Duration.ofSeconds(20), Duration.ofSeconds(10));
    }

    static Migration m(long version, String text) {
        return Migration.of(version, "V" + version + "__m.sql", null, text);
    }

    Migrator migrator(Connection c, Duration lockWait) throws SQLException {
        return new Migrator(c, "the test database", lockWait, false);
    }

    static List<Long> versions(List<Migration> ms) {
        return ms.stream().map(Migration::version).toList();
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static final String V1 = "CREATE TABLE runs (n INTEGER NOT NULL);\n-- a comment; with a semicolon\n"
            + "CREATE TABLE t (x TEXT DEFAULT ';');";

    @Test void eachMigrationIsAppliedOnceAndRecorded() throws Exception {
        try (var db = open()) {
            Connection c = db.acquire();
            var all = List.of(m(1, V1), m(2, "INSERT INTO runs VALUES (2);"), m(3, "INSERT INTO runs VALUES (3);"));
            assertEquals(3, migrator(c, Duration.ofSeconds(5)).migrate(all).applied().size());
            assertEquals(0, migrator(c, Duration.ofSeconds(5)).migrate(all).applied().size());
            assertEquals(2, count(c, "SELECT count(*) FROM runs"));
            assertEquals(3, count(c, "SELECT count(*) FROM " + Migrator.HISTORY));
            var more = new ArrayList<>(all);
            more.add(m(4, "INSERT INTO runs VALUES (4);"));
            assertEquals(List.of(4L), versions(migrator(c, Duration.ofSeconds(5)).migrate(more).applied()));
            assertEquals(3, count(c, "SELECT count(*) FROM runs"));
            assertTrue(c.getAutoCommit(), "the connection is given back as it came");
        }
    }

    @Test void aChangedAppliedMigrationRefusesTheStartNamingIt() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(folder.resolve("V1__runs.sql"), V1);
        Files.writeString(folder.resolve("V2__two.sql"), "INSERT INTO runs VALUES (2);");
        try (var db = open()) {
            Schema.migrate(db, folder, "the test database");
            Files.writeString(folder.resolve("V2__two.sql"), "INSERT INTO runs VALUES (22);");
            Files.writeString(folder.resolve("V3__three.sql"), "INSERT INTO runs VALUES (3);");
            var e = assertThrows(MigrationException.class, () -> Schema.migrate(db, folder, "the test database"));
            assertTrue(e.getMessage().startsWith(folder.resolve("V2__two.sql") + " was changed after it was applied to the test "
                    + "database"), e.getMessage());
            assertTrue(e.getMessage().contains("new migration (V4__"), e.getMessage());
            Connection c = db.acquire();
            assertEquals(1, count(c, "SELECT count(*) FROM runs"), "V3 did not run either");
        }
    }

    @Test void aFailingMigrationKeepsNothingOfItselfAndNamesItsFile() throws Exception {
        try (var db = open()) {
            Connection c = db.acquire();
            var e = assertThrows(MigrationException.class, () -> migrator(c, Duration.ofSeconds(5)).migrate(List.of(m(1, V1),
                    m(2, "INSERT INTO runs VALUES (2);\nINSERT INTO nowhere VALUES (1);"))));
            assertTrue(e.getMessage().startsWith("V2__m.sql failed on the test database (nothing of it was kept)"),
                    e.getMessage());
            assertEquals(0, count(c, "SELECT count(*) FROM runs"), "V2's first statement was rolled back");
            assertEquals(1, count(c, "SELECT count(*) FROM " + Migrator.HISTORY), "V1 stays applied");
            assertTrue(c.getAutoCommit());
        }
    }

    @Test void scriptSyntax() throws Exception {
        try (var db = open()) {
            Connection c = db.acquire();
            migrator(c, Duration.ofSeconds(5)).migrate(List.of(m(1, V1), m(2, triggerScript())));
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO runs VALUES (1)");
                var e = assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM runs"));
                assertTrue(e.getMessage().contains("append-only"), e.getMessage());
            }
        }
    }

    /** The simplest case: a schema script runs whole (the same script syntax), only on a database without tables. */
    @Test void aSchemaScriptRunsWholeAndOnlyOnAnEmptyDatabase() throws Exception {
        try (var db = open()) {
            assertTrue(Schema.applyIfEmpty(db, V1 + "\n" + triggerScript()));
            assertEquals(false, Schema.applyIfEmpty(db, V1 + "\n" + triggerScript()));
            Connection c = db.acquire();
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO runs VALUES (1)");
                var e = assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM runs"));
                assertTrue(e.getMessage().contains("append-only"), e.getMessage());
            }
            assertTrue(c.getAutoCommit());
        }
    }

    @Test void deletedOrOutOfOrderMigrationsAreRefusedAndNewerOnesLeftAlone() throws Exception {
        try (var db = open()) {
            Connection c = db.acquire();
            migrator(c, Duration.ofSeconds(5)).migrate(List.of(m(1, V1), m(3, "INSERT INTO runs VALUES (3);")));
            var gone = assertThrows(MigrationException.class, () -> migrator(c, Duration.ofSeconds(5)).migrate(
                    List.of(m(3, "INSERT INTO runs VALUES (3);"))));
            assertTrue(gone.getMessage().contains("V1__m.sql (version 1) was applied"), gone.getMessage());
            var late = assertThrows(MigrationException.class, () -> migrator(c, Duration.ofSeconds(5)).migrate(
                    List.of(m(1, V1), m(2, "INSERT INTO runs VALUES (2);"), m(3, "INSERT INTO runs VALUES (3);"))));
            assertTrue(late.getMessage().contains("V2__m.sql is not applied to the test database, but version 3 is"),
                    late.getMessage());
            // An older release of the app (it knows V1 only) starts beside a database at V3.
            assertEquals(0, migrator(c, Duration.ofSeconds(5)).migrate(List.of(m(1, V1))).applied().size());
        }
    }

    @Test void aDatabaseWithTablesButNoHistoryIsRefusedUntilABaselineIsRecorded() throws Exception {
        try (var db = open()) {
            Connection c = db.acquire();
            try (Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TABLE runs (n INTEGER NOT NULL)");
            }
            var all = List.of(m(1, V1), m(2, "INSERT INTO runs VALUES (2);"));
            var e = assertThrows(MigrationException.class, () -> migrator(c, Duration.ofSeconds(5)).migrate(all));
            assertTrue(e.getMessage().contains("has tables (runs, …) but no migration history"), e.getMessage());
            assertEquals(List.of(1L), versions(migrator(c, Duration.ofSeconds(5)).baseline(all, 1)));
            assertEquals(List.of(2L), versions(migrator(c, Duration.ofSeconds(5)).migrate(all).applied()));
            assertEquals(1, count(c, "SELECT count(*) FROM runs"));
        }
    }

    /** The lock wait is a limit: an instance waits for another's migrations up to it, and no longer. */
    @Test void aStartWaitsForTheLockUpToItsLimitAndAnUpToDateStartTakesNone() throws Exception {
        try (var db = open(); var other = open()) {
            Connection c = db.acquire();
            var all = List.of(m(1, V1));
            migrator(c, Duration.ofSeconds(5)).migrate(all);
            var more = List.of(m(1, V1), m(2, "INSERT INTO runs VALUES (2);"));
            Connection holder = other.acquire();
            holdMigrationLock(holder);
            try {
                long start = System.nanoTime();
                assertEquals(0, migrator(c, Duration.ofMillis(300)).migrate(all).applied().size(), "up to date: no lock taken");
                assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(300), "and no wait for it");
                start = System.nanoTime();
                var e = assertThrows(MigrationException.class, () -> migrator(c, Duration.ofMillis(300)).migrate(more));
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(waited >= 250 && waited < 3000, "waited " + waited + " ms for a 300 ms lock wait");
                assertTrue(e.getMessage().contains("300 ms"), e.getMessage());
            } finally {
                releaseMigrationLock(holder);
            }
            assertEquals(1, migrator(c, Duration.ofMillis(300)).migrate(more).applied().size(), "the lock free: applied");
            assertTrue(c.getAutoCommit());
        }
    }

    /** The done-when check: three processes starting at once against one database apply each migration once. */
    @Test void threeProcessesStartingAtOnceApplyEachMigrationOnce() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("migrations").resolve(dialect().folder));
        Files.createDirectories(dir.resolve("migrations").resolve(dialect() == Dialect.SQLITE ? "postgresql" : "sqlite"));
        Files.writeString(folder.resolve("V1__runs.sql"), V1);
        Files.writeString(folder.resolve("V2__slow.sql"), slowStatement() + "\nINSERT INTO runs VALUES (2);");
        Files.writeString(folder.resolve("V3__three.sql"), "INSERT INTO runs VALUES (3);");
        startThreeAtOnce(dir.resolve("migrations"));
        try (var db = open()) {
            Connection c = db.acquire();
            assertEquals(2, count(c, "SELECT count(*) FROM runs"), "V2 and V3 each inserted once");
            assertEquals(3, count(c, "SELECT count(*) FROM " + Migrator.HISTORY));
        }
        String logs = stderr(0) + stderr(1) + stderr(2);
        assertEquals(3, logs.lines().filter(l -> l.contains("applied ")).count(), "three migrations applied in all:\n" + logs);
    }

    /**
     * Issue 17: three processes starting at once on an empty database with a schema script (no
     * migrations): one runs it, under the migrations' lock; the others find its tables and start.
     */
    @Test void threeProcessesStartingAtOnceRunASchemaScriptOnce() throws Exception {
        Path script = dir.resolve("schema.sql");
        Files.writeString(script, V1 + "\n" + slowStatement() + "\nINSERT INTO runs VALUES (1);");
        startThreeAtOnce(script);
        try (var db = open()) {
            assertEquals(1, count(db.acquire(), "SELECT count(*) FROM runs"), "the script ran once");
        }
        String logs = stderr(0) + stderr(1) + stderr(2);
        assertEquals(1, logs.lines().filter(l -> l.contains("has no tables")).count(), "one process ran it:\n" + logs);
    }

    /** Starts three {@link MigrateOnce} processes on `what` (a migrations folder or a schema script); each must exit 0. */
    private void startThreeAtOnce(Path what) throws Exception {
        String url = url();
        Path go = dir.resolve("go");
        String java = ProcessHandle.current().info().command().orElse("java");
        var processes = new ArrayList<Process>();
        try {
            for (int i = 0; i < 3; i++) {
                Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path"), MigrateOnce.class.getName(), url,
                        what.toString(), go.toString())
                        .redirectError(dir.resolve("stderr-" + i).toFile()).start();
                processes.add(p);
            }
            var outputs = new ArrayList<BufferedReader>();
            for (Process p : processes) {
                var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine(), "a process did not start: " + stderr(processes.indexOf(p)));
                outputs.add(out);
            }
            Files.writeString(go, "");
            for (int i = 0; i < 3; i++) {
                assertTrue(processes.get(i).waitFor(60, TimeUnit.SECONDS), "process " + i + " did not end");
                assertEquals(0, processes.get(i).exitValue(), "process " + i + ": " + stderr(i));
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    private String stderr(int i) throws Exception {
        Path p = dir.resolve("stderr-" + i);
        return Files.exists(p) ? Files.readString(p) : "";
    }
}

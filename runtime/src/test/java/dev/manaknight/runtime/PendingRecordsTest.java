package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.PooledDatabase;
import dev.manaknight.runtime.effects.Transaction;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit mode's records kept in the database with their changes (journal.md, "Commits"): a row
 * commits and rolls back with its transaction; a sweep deletes what the file holds and keeps what
 * it could not delete; recovery writes old rows before it deletes them,
 * keeps them when the writing fails, and on PostgreSQL two instances never take the same row.
 */
class PendingRecordsTest {
    private static final String PG = System.getenv("MANAKNIGHT_TEST_PG_URL");

    @TempDir Path dir;

    private Database sqlite() throws SQLException {
        return PooledDatabase.open("sqlite:" + dir.resolve("app.db"), 4, Duration.ofSeconds(5), 8);
    }

    private static void inTransaction(Database db, String id, long at, boolean commit) throws Exception {
        var tx = new Transaction(db);
        try {
            tx.query(c -> {
                PendingRecords.insert(c, id, "{\"id\":\"" + id + "\"}", at);
                return null;
            });
            if (commit) tx.commit();
        } finally {
            tx.rollback();
        }
    }

    private static Set<String> ids(Database db) throws Exception {
        var tx = new Transaction(db);
        try {
            return tx.read(c -> {
                var out = new TreeSet<String>();
                try (var rs = c.createStatement().executeQuery("SELECT id FROM " + PendingRecords.TABLE)) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            });
        } finally {
            tx.rollback();
        }
    }

    @Test void aRowCommitsAndRollsBackWithItsTransaction() throws Exception {
        try (Database db = sqlite()) {
            PendingRecords.create(db);
            PendingRecords.create(db); // made once, found the second time
            inTransaction(db, "a", 1, true);
            inTransaction(db, "b", 2, false);
            assertEquals(Set.of("a"), ids(db));
        }
    }

    @Test void theSweepDeletesWhatTheFileHoldsAndKeepsWhatItCouldNotDelete() throws Exception {
        try (Database db = sqlite()) {
            PendingRecords.create(db);
            var pending = new PendingRecords();
            for (int i = 0; i < PendingRecords.BATCH + 3; i++) inTransaction(db, "r" + i, i, true);
            inTransaction(db, "unfiled", 0, true);
            for (int i = 0; i < PendingRecords.BATCH + 3; i++) pending.filed("r" + i);
            assertEquals(PendingRecords.BATCH + 3, pending.sweep(db), "more ids than one statement takes");
            assertEquals(Set.of("unfiled"), ids(db));
            assertEquals(0, pending.sweep(db));

            inTransaction(db, "later", 0, true);
            pending.filed("later");
            var tx = new Transaction(db);
            tx.query(c -> c.createStatement().executeUpdate("ALTER TABLE " + PendingRecords.TABLE + " RENAME TO gone"));
            tx.commit();
            assertThrows(SQLException.class, () -> pending.sweep(db));
            assertTrue(pending.anyFiled(), "an id whose delete failed is kept for the next sweep");
            tx = new Transaction(db);
            tx.query(c -> c.createStatement().executeUpdate("ALTER TABLE gone RENAME TO " + PendingRecords.TABLE));
            tx.commit();
            assertEquals(1, pending.sweep(db));
            assertEquals(Set.of("unfiled"), ids(db));
        }
    }

    @Test void recoveryWritesOldRowsBeforeDeletingThemAndKeepsThemWhenWritingFails() throws Exception {
        try (Database db = sqlite()) {
            PendingRecords.create(db);
            inTransaction(db, "old1", 100, true);
            inTransaction(db, "old2", 200, true);
            inTransaction(db, "young", 5_000, true);
            assertThrows(java.io.IOException.class, () -> PendingRecords.recover(db, 1_000, rows -> {
                throw new java.io.IOException("the disk is full");
            }));
            assertEquals(Set.of("old1", "old2", "young"), ids(db), "nothing deleted that was not written");
            var written = new ArrayList<String>();
            assertEquals(2, PendingRecords.recover(db, 1_000, rows -> rows.forEach(r -> written.add(r.line()))));
            assertEquals(List.of("{\"id\":\"old1\"}", "{\"id\":\"old2\"}"), written, "oldest first, the lines as inserted");
            assertEquals(Set.of("young"), ids(db));
        }
    }

    @Test void recoveryTakesMoreRowsThanOneRound() throws Exception {
        try (Database db = sqlite()) {
            PendingRecords.create(db);
            var tx = new Transaction(db);
            tx.query(c -> {
                for (int i = 0; i < PendingRecords.RECOVER_BATCH + 5; i++) PendingRecords.insert(c, "x" + i, "l", i);
                return null;
            });
            tx.commit();
            var written = new ArrayList<String>();
            assertEquals(PendingRecords.RECOVER_BATCH + 5,
                    PendingRecords.recover(db, Long.MAX_VALUE, rows -> rows.forEach(r -> written.add(r.id()))));
            assertEquals(PendingRecords.RECOVER_BATCH + 5, new TreeSet<>(written).size());
            assertEquals(Set.of(), ids(db));
        }
    }

    @Test void onPostgresTwoInstancesNeverRecoverTheSameRow() throws Exception {
        assumeTrue(PG != null && !PG.isBlank(), "MANAKNIGHT_TEST_PG_URL is not set");
        String schema = "pending_" + Long.toString(System.nanoTime(), 36);
        try (var c = DriverManager.getConnection(PooledDatabase.jdbcUrl(PG))) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        try (Database a = PooledDatabase.open(PG + "&currentSchema=" + schema, 2, Duration.ofSeconds(5), 4);
             Database b = PooledDatabase.open(PG + "&currentSchema=" + schema, 2, Duration.ofSeconds(5), 4)) {
            PendingRecords.create(a);
            PendingRecords.create(b);
            var tx = new Transaction(a);
            tx.query(c -> {
                for (int i = 0; i < PendingRecords.RECOVER_BATCH + 500; i++) PendingRecords.insert(c, "p" + i, "l", i);
                return null;
            });
            tx.commit();
            var written = Collections.synchronizedList(new ArrayList<String>());
            var both = new CountDownLatch(2);
            try (var pool = Executors.newFixedThreadPool(2)) {
                List<Future<Integer>> runs = new ArrayList<>();
                for (Database db : List.of(a, b)) {
                    runs.add(pool.submit(() -> PendingRecords.recover(db, Long.MAX_VALUE, rows -> {
                        rows.forEach(r -> written.add(r.id()));
                        both.countDown();
                        try {
                            both.await(5, TimeUnit.SECONDS); // each holds its rows while the other takes its own
                        } catch (InterruptedException e) {
                            throw new java.io.IOException(e);
                        }
                    })));
                }
                int total = 0;
                for (Future<Integer> f : runs) total += f.get(30, TimeUnit.SECONDS);
                assertEquals(PendingRecords.RECOVER_BATCH + 500, total);
            }
            assertEquals(written.size(), new TreeSet<>(written).size(), "no row written twice");
            assertEquals(PendingRecords.RECOVER_BATCH + 500, written.size());
            assertEquals(Set.of(), ids(a));
        } finally {
            try (var c = DriverManager.getConnection(PooledDatabase.jdbcUrl(PG))) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}

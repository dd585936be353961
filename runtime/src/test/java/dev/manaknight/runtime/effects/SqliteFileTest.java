package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.runtime.Fixtures;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, SQLite safety: a database file deleted, replaced or corrupted while the server runs
 * fails requests as unavailable instead of taking writes nobody will see, is never created again
 * after start, and is used again by itself as soon as a valid file is back.
 */
class SqliteFileTest {
    /** How long a repaired file may take to be used again: the watch's period plus slack for a shared machine. */
    static final long SEEN_WITHIN_MS = SqliteFile.CHECK_EVERY_MS + 1000;

    @TempDir Path dir;
    private PooledDatabase db;

    private PooledDatabase open(String url) throws Exception {
        db = PooledDatabase.open(url, 2, Duration.ofSeconds(10), 8);
        Schema.applyIfEmpty(db, Fixtures.SCHEMA);
        return db;
    }

    @AfterEach void close() {
        if (db != null) db.close();
    }

    /** Inserts a user and commits; throws what the transaction threw. */
    private void insert(String name) throws Exception {
        var tx = new Transaction(db, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        try {
            tx.query(c -> c.createStatement().executeUpdate("INSERT INTO users(name, email) VALUES ('" + name + "', 'x')"));
            tx.commit();
        } finally {
            tx.rollback();
        }
    }

    private long count() throws Exception {
        var tx = new Transaction(db, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        try {
            return tx.query(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM users")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        } finally {
            tx.rollback();
        }
    }

    /** Retries `count` until it succeeds, within {@link #SEEN_WITHIN_MS}. */
    private long countRecovers() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SEEN_WITHIN_MS);
        while (true) {
            try {
                return count();
            } catch (SQLException e) {
                assertTrue(System.nanoTime() < deadline, "not usable again " + SEEN_WITHIN_MS + " ms after the repair: " + e);
                Thread.sleep(5);
            }
        }
    }

    /** A consistent copy of the database beside it (what a backup is). */
    private Path backup(Path file) throws Exception {
        Path copy = dir.resolve("backup-" + System.nanoTime() + ".db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("VACUUM INTO '" + copy + "'");
        }
        return copy;
    }

    @Test void aDeletedFileFailsWritesAsUnavailableIsNeverCreatedAgainAndARestoreIsUsed() throws Exception {
        Path file = dir.resolve("app.db");
        open("sqlite:" + file);
        insert("before");
        Path saved = backup(file);
        Files.delete(file);
        SQLException e = assertThrows(SQLException.class, () -> insert("ghost"), "the first write after the delete fails");
        assertInstanceOf(DatabaseUnavailable.class, e, e.toString());
        assertEquals(SqlFault.UNAVAILABLE, SqlFault.of(e));
        assertThrows(DatabaseUnavailable.class, this::count, "reads fail too: the data they would see is gone");
        assertFalse(Files.exists(file), "no connection created a new, empty file at the path");

        Files.move(saved, file); // the restore: another file (another inode) at the path
        assertEquals(3, countRecovers(), "the restored file is used, with what it held");
        insert("after");
        assertEquals(4, count());
    }

    @Test void aFileReplacedByGarbageFailsUntilAValidFileIsBack() throws Exception {
        Path file = dir.resolve("app.db");
        open("sqlite:" + file);
        Path saved = backup(file);
        Path garbage = dir.resolve("garbage");
        Files.write(garbage, new byte[8192]);
        Files.move(garbage, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThrows(DatabaseUnavailable.class, () -> insert("ghost"));
        Files.move(saved, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(2, countRecovers());
    }

    /**
     * Issue 12: corrupted in place (the same inode), then repaired in place: a connection that reads the
     * garbage reports it, is evicted, and the file is checked at once; once repaired, requests
     * succeed at once (before: `SQLITE_NOTADB` for minutes).
     */
    @Test void aFileCorruptedInPlaceFailsFastAndRecoversWhenRepaired() throws Exception {
        Path file = dir.resolve("app.db");
        open("sqlite:" + file + "?cache_size=1"); // a page cache too small to hide the garbage from reads
        for (int i = 0; i < 200; i++) insert("user-" + i + "-".repeat(200));
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)"); // every page in the file itself
        }
        byte[] good = Files.readAllBytes(file);
        byte[] bad = new byte[good.length];
        new Random(12).nextBytes(bad);
        overwrite(file, bad);
        SQLException e = assertThrows(SQLException.class, this::count);
        assertEquals(SqlFault.UNAVAILABLE, SqlFault.of(e), e.toString());
        assertInstanceOf(DatabaseUnavailable.class, assertThrows(SQLException.class, this::count),
                "the next request fails fast: the file's header is no SQLite header");
        overwrite(file, good);
        assertEquals(202, countRecovers());
    }

    private static void overwrite(Path file, byte[] bytes) throws Exception {
        try (var ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), 0);
        }
    }

    @Test void aMissingFileIsCreatedAtStartButNotBesideTheLogOfADeletedOne() throws Exception {
        Path file = dir.resolve("new.db");
        var props = PooledDatabase.sqliteProperties(1000);
        assertTrue(SqliteFile.createIfMissing(file, props));
        assertTrue(Files.exists(file));
        assertFalse(SqliteFile.createIfMissing(file, props), "an existing file is left alone");

        var noFolder = assertThrows(SQLException.class,
                () -> SqliteFile.createIfMissing(dir.resolve("nowhere").resolve("app.db"), props));
        assertEquals("the database file " + dir.resolve("nowhere").resolve("app.db") + " cannot be created: its folder "
                + dir.resolve("nowhere") + " does not exist", noFolder.getMessage());

        Path orphan = dir.resolve("gone.db");
        Files.writeString(Path.of(orphan + "-wal"), "the last writes of a deleted database");
        var e = assertThrows(SQLException.class, () -> PooledDatabase.open("sqlite:" + orphan, 1, Duration.ofSeconds(1), 8));
        assertTrue(e.getMessage().contains("deleted while in use"), e.getMessage());
        assertFalse(Files.exists(orphan));
    }

    /**
     * Issue 17 (a CI failure): instances started at once on a missing file. Each created it and
     * switched it to WAL; two switching at once both hold a shared lock and want an exclusive one,
     * and SQLite answers one of them SQLITE_BUSY at once, without waiting (it would deadlock), so
     * that process did not start. Now one creation wins and the file appears in WAL mode already.
     */
    @Test void manyOpeningAMissingFileAtOnceAllStartAndOneCreatesIt() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path file = dir.resolve("race-" + round + ".db");
            int n = 6;
            var start = new java.util.concurrent.CyclicBarrier(n);
            var pools = new java.util.concurrent.ConcurrentLinkedQueue<PooledDatabase>();
            var created = new java.util.concurrent.atomic.AtomicInteger();
            var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
            var threads = new java.util.ArrayList<Thread>();
            for (int i = 0; i < n; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        if (SqliteFile.createIfMissing(file, PooledDatabase.sqliteProperties(1000))) created.incrementAndGet();
                        pools.add(PooledDatabase.open("sqlite:" + file, 1, Duration.ofSeconds(5), 2));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(30));
            pools.forEach(PooledDatabase::close);
            assertTrue(failures.isEmpty(), "round " + round + ": " + failures);
            assertEquals(1, created.get(), "round " + round + ": one creation");
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement();
                 var rs = st.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
            try (var files = Files.list(dir)) {
                assertEquals(java.util.List.of(), files.filter(f -> f.getFileName().toString().contains(".creating")).toList(),
                        "no half-made file left");
            }
        }
    }

    @Test void theWatchedPathOfAUrl() {
        assertEquals(Path.of("/srv/app.db"), SqliteFile.pathOf("sqlite:/srv/app.db?cache_size=1"));
        assertNull(SqliteFile.pathOf("sqlite::memory:"));
        assertNull(SqliteFile.pathOf("sqlite:file:app.db?mode=memory"));
        assertNull(SqliteFile.pathOf("postgresql://h/db"));
        assertEquals("the database postgresql://h:5432/db", PooledDatabase.describe("postgresql://u:secret@h:5432/db?password=x"));
    }
}

package dev.manaknight.runtime.effects;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file behind a pooled SQLite database, watched by its identity (device and inode), so that
 * the server never writes into a file nobody can see any more. SQLite keeps an open file open: a
 * database deleted (or moved away, or replaced by a restore) while the server runs would go on
 * taking writes into the unlinked inode, acknowledged and lost at the next start.
 *
 * <ul>
 * <li>{@link #check} looks at the path (one `stat`) before every commit, and before a connection
 *     is taken at most every {@link #CHECK_EVERY_MS} ms (between looks it repeats the last
 *     verdict). So no write is acknowledged after the file is gone; a read may still be answered
 *     from the old file for those few milliseconds.</li>
 * <li>The path missing, or what is there not a SQLite database: requests fail with
 *     {@link DatabaseUnavailable} (503), the pool opens no new connection and closes the open ones
 *     (busy ones when they are given back). Connections are opened without SQLite's create flag,
 *     so no empty database appears at the path.</li>
 * <li>A valid file at the path again — put back, restored, repaired — or another file put there
 *     while it ran: used once every connection to what was there before is closed (closing them
 *     lets SQLite checkpoint and remove the old file's write-ahead log, which must not be read as
 *     the new file's); until then requests fail as above.</li>
 * <li>A connection that reported a broken file (`SQLITE_NOTADB`, `SQLITE_CORRUPT`, an I/O error)
 *     is evicted by its transaction and makes the next check look at once, header included: a
 *     file corrupted in place fails requests fast and is used again as soon as it is repaired.</li>
 * </ul>
 */
final class SqliteFile {
    /** How often the path is looked at before a connection is taken. */
    static final long CHECK_EVERY_MS = 10;
    /** The first bytes of every SQLite 3 database file. */
    private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    /** The pool's connections, as the watch needs to handle them. */
    interface Connections {
        /** Opens no new connection (until {@link #reopen}) and closes the open ones, busy ones when given back. */
        void closeAll();

        /** Connections open now. */
        int open();

        /** Opens connections as needed again. */
        void reopen();
    }

    private final Path path;
    private final Connections connections;
    private final long everyNanos = TimeUnit.MILLISECONDS.toNanos(CHECK_EVERY_MS);
    /** When the path is looked at next before a connection is taken (System.nanoTime). */
    private volatile long nextLook;
    /** The identity of the file the pool's connections opened. */
    private volatile Object identity;
    /** Why the database cannot be used now, or null. */
    private volatile String problem;
    /** A connection reported a broken file: the next look reads the header too. */
    private volatile boolean suspect;
    /** Guarded by this: the connections are being closed (after a problem, before the file is used again). */
    private boolean closing;

    /** Watches `path`, which exists now. */
    SqliteFile(Path path, Connections connections) throws SQLException {
        this.path = path;
        this.connections = connections;
        this.identity = identityOf(path);
        if (identity == null) throw new SQLException("the database file " + path + " does not exist");
        this.nextLook = System.nanoTime() + everyNanos;
    }

    /**
     * The file of a `sqlite:` URL, or null for an in-memory database or a `file:` URI (not
     * watched). Query parameters (`sqlite:app.db?foo=bar`) are not part of the path.
     */
    static Path pathOf(String url) {
        if (!url.startsWith("sqlite:")) return null;
        String rest = url.substring("sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) rest = rest.substring(0, q);
        if (rest.isEmpty() || rest.equals(":memory:") || rest.startsWith("file:")) return null;
        return Path.of(rest);
    }

    /**
     * At start only: creates a missing database file, saying so in the log (a WARN naming the
     * file: a missing database is as likely a mistake — a wrong path, a deleted file — as a first
     * start). Refuses when the file is missing but its write-ahead log is there: the database was
     * deleted while in use, and a new file beside the old log would take the old log's pages.
     *
     * @param props the connection properties, without the open mode
     * @return true when the file was created
     */
    static boolean createIfMissing(Path path, Properties props) throws SQLException {
        if (Files.exists(path)) return false;
        for (String side : new String[] {"-wal", "-shm"}) {
            Path p = Path.of(path + side);
            if (Files.exists(p) && !Files.exists(path)) // (the path again: another process may have made it since)
                throw new SQLException("the database file " + path + " does not exist but " + p + " does: the database was "
                        + "deleted while in use; restore it, or move " + p + " away (it holds its last writes) to start empty");
        }
        // Made whole beside the path, then linked into place: instances started at once on a
        // missing file each made it and switched it to WAL, and two switching at once were
        // answered SQLITE_BUSY without a wait (each held a shared lock and wanted an exclusive
        // one), so one did not start. Linking fails when the path exists: one creation wins, and
        // every process sees the file only once it is in WAL mode.
        // (A name of our own, and SQLite creates the file: its mode is the one SQLite gives, as before.)
        Path tmp = Path.of(path + ".creating-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
        Path folder = path.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder))
            // 08001, "cannot establish a connection": unavailable (503), as SQLITE_CANTOPEN was before
            throw new java.sql.SQLNonTransientConnectionException("the database file " + path + " cannot be created: its folder "
                    + folder + " does not exist", "08001");
        try {
            var create = new Properties();
            create.putAll(props); // journal_mode=WAL is kept in the file's header
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + tmp, create)) {
                c.getMetaData();
            } catch (SQLException e) {
                throw new SQLException("the database file " + path + " cannot be created in " + folder + ": " + e.getMessage(), e);
            }
            try {
                Files.createLink(path, tmp);
            } catch (FileAlreadyExistsException e) {
                return false; // another process made it first
            } catch (UnsupportedOperationException | IOException e) {
                // no hard links here (some network or FUSE filesystems): a rename, which could
                // only replace a file made in the last instant by another process starting too
                if (Files.exists(path)) return false;
                try {
                    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException m) {
                    throw new SQLException("cannot create the database file " + path + ": " + m.getMessage(), m);
                }
            }
            LOG.warn("the database file {} does not exist: creating a new, empty database there", path.toAbsolutePath());
            return true;
        } finally {
            for (String side : new String[] {"", "-wal", "-shm", "-journal"}) {
                try {
                    Files.deleteIfExists(Path.of(tmp + side));
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless; its name says what it is
                }
            }
        }
    }

    /**
     * @param now look at the path now (before a commit), not only when the last look is
     *            {@link #CHECK_EVERY_MS} old (before a connection is taken)
     * @throws DatabaseUnavailable when the file is gone, or what is at its path is not a usable
     *                             SQLite database (yet)
     */
    void check(boolean now) throws DatabaseUnavailable {
        long t = System.nanoTime();
        if (now || t - nextLook >= 0) {
            nextLook = t + everyNanos; // racy: two threads may both look, which is harmless
            Object id = identityOf(path);
            if (id == null || !id.equals(identity) || suspect || problem != null) settle();
        }
        String p = problem;
        if (p != null) throw new DatabaseUnavailable(p);
    }

    /** A connection reported a broken file: the next check looks at the path (and the header) at once. */
    void suspect() {
        suspect = true;
        nextLook = System.nanoTime();
    }

    /** Something changed, or is wrong: decides what the file's state is now. */
    private synchronized void settle() {
        Object id = identityOf(path);
        if (id == null) {
            trouble("the database file " + path + " is gone (deleted or moved away); requests that need it fail until it is back");
            return;
        }
        boolean same = id.equals(identity);
        if (same && problem == null && !suspect) return; // another thread settled it
        if (!hasHeader(path)) {
            trouble("the database file " + path + " is not a SQLite database" + (same ? "" : " (another file was put there)"));
            return;
        }
        suspect = false;
        if (same && problem == null) return; // a connection failed, but the file looks sound
        if (!closing) {
            LOG.warn("the database file {} was replaced by another file: closing every connection to the old one", path);
            closeAll();
        } else if (connections.open() > 0) {
            // Again: the pool's filler may have opened one since (a task begun before the first
            // closeAll), which nothing would close, and the file would never be used again.
            connections.closeAll();
        }
        if (connections.open() > 0) {
            problem = "the database file " + path + " is back; the connections to the file that was there before are closing";
            return;
        }
        identity = id;
        problem = null;
        closing = false;
        connections.reopen();
        LOG.warn("the database file {} is in use again", path);
    }

    private void trouble(String why) {
        if (!why.equals(problem)) LOG.error("{}", why);
        problem = why;
        if (!closing) closeAll();
    }

    private void closeAll() {
        closing = true;
        connections.closeAll();
    }

    /** Device and inode (the file key), or null when nothing is at the path. */
    private static Object identityOf(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null; // unreadable counts as gone: no connection could use it either
        }
    }

    private static boolean hasHeader(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return Arrays.equals(in.readNBytes(HEADER.length), HEADER);
        } catch (IOException e) {
            return false;
        }
    }
}

package dev.manaknight.runtime;

import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.journal.Journal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;

/**
 * Audit mode's upkeep of the records kept in the database ({@link PendingRecords}): a thread
 * that deletes the rows the journal's file holds every {@link #SWEEP} and writes into this
 * instance's journal, every {@link #RECOVER_EVERY}, the rows an instance that stopped left
 * (older than `journal.recover_after`). At start the recovery runs once before any request; at
 * a stop the last rows the file took are deleted once the journal is closed.
 */
final class PendingSweep implements AutoCloseable {
    static final Duration SWEEP = Duration.ofMillis(100);
    static final Duration RECOVER_EVERY = Duration.ofMinutes(1);

    private final Database db;
    private final PendingRecords pending;
    private final Journal journal;
    private final Duration recoverAfter;
    private final Logger log;
    private final LogThrottle failureLog = new LogThrottle(Duration.ofSeconds(10));
    /** The sweeping thread, or null (CGI). */
    private Thread thread;
    private volatile boolean closed;

    private PendingSweep(Database db, PendingRecords pending, Journal journal, Duration recoverAfter, Logger log) {
        this.db = db;
        this.pending = pending;
        this.journal = journal;
        this.recoverAfter = recoverAfter;
        this.log = log;
    }

    /**
     * Makes the table when missing and writes what stopped instances left, then (with `thread`: a
     * server) keeps both up; without it (CGI's one request) only the stop's sweep follows.
     */
    static PendingSweep start(Database db, PendingRecords pending, Journal journal, Duration recoverAfter, Logger log,
                              boolean thread) throws SQLException {
        try {
            PendingRecords.create(db);
        } catch (SQLException e) {
            throw new SQLException("journal: audit mode keeps each change's record in the table " + PendingRecords.TABLE
                    + " of the database, committed with the change, until the journal holds it; the table could not be "
                    + "made: " + e.getMessage(), e.getSQLState(), e);
        }
        var s = new PendingSweep(db, pending, journal, recoverAfter, log);
        try {
            s.recover();
        } catch (SQLException | IOException e) { // the thread tries again; the server's writes wait for a journal that writes
            log.warn("journal: the records a stopped instance kept in the database ({}) could not be written yet: {}",
                    PendingRecords.TABLE, e.toString());
        }
        if (thread) s.thread = Thread.ofPlatform().daemon().name("manaknight-journal-pending").start(s::run);
        return s;
    }

    private void run() {
        long nextRecover = System.nanoTime() + RECOVER_EVERY.toNanos();
        while (!closed) {
            LockSupport.parkNanos(SWEEP.toNanos());
            if (closed) break;
            try {
                if (pending.anyFiled()) pending.sweep(db);
                if (System.nanoTime() - nextRecover >= 0) {
                    nextRecover = System.nanoTime() + RECOVER_EVERY.toNanos();
                    recover();
                }
            } catch (Exception e) {
                if (failureLog.due()) log.warn("journal: the records kept in the database ({}) could not be tidied: {}",
                        PendingRecords.TABLE, e.toString());
            }
        }
    }

    /** Writes the rows older than `recoverAfter` into this instance's journal, durably, and deletes them. */
    private void recover() throws SQLException, IOException {
        int n = PendingRecords.recover(db, System.currentTimeMillis() - recoverAfter.toMillis(), rows -> {
            var written = new CompletableFuture<?>[rows.size()];
            for (int i = 0; i < rows.size(); i++)
                written[i] = journal.append(rows.get(i).id(), rows.get(i).line().getBytes(StandardCharsets.UTF_8));
            try {
                CompletableFuture.allOf(written).get(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("journal: interrupted while writing recovered records", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("journal: recovered records could not be written: "
                        + (e.getCause() != null ? e.getCause() : e), e);
            }
        });
        if (n > 0) log.warn("journal: wrote {} record(s) of committed changes that a stopped instance had kept in the "
                + "database ({}) and not yet in its journal", n, PendingRecords.TABLE);
    }

    /** Stops the thread; call once the journal is closed: deletes the rows of the last records it wrote. */
    @Override public void close() {
        closed = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            while (pending.anyFiled() && pending.sweep(db) > 0) { /* until every filed row is gone */ }
        } catch (Exception e) {
            log.warn("journal: the records kept in the database ({}) that the journal holds were not deleted at the stop; the "
                    + "next start writes them again: {}", PendingRecords.TABLE, e.toString());
        }
    }
}

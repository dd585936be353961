package dev.manaknight.runtime;

import dev.manaknight.lang.vm.Host.EffectFailure;
import dev.manaknight.runtime.effects.CommitFault;
import dev.manaknight.runtime.effects.SqlFault;
import dev.manaknight.runtime.effects.Transaction;
import dev.manaknight.runtime.journal.Journal;
import dev.manaknight.runtime.journal.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;

/**
 * Audit mode's order around a commit (journal.md, "Commits"): the request's record, saying the
 * reply it has once committed, goes into its own transaction ({@link PendingRecords}), so that
 * the commit makes the change and its record durable together; the request is answered at once;
 * the record then goes to the journal's file, and its row is deleted once the file holds it. A
 * journal that cannot write (a full disk) means no commit: the request is answered 503 and
 * nothing it wrote is kept.
 */
final class AuditGate implements RequestCore.CommitGate {
    private final Journal journal;
    private final PendingRecords pending;
    private final BiFunction<InFlight, Reply, JournalRecord> record;
    private final Logger log;
    /** The lines of records in transactions not ended yet, by request id: {@link #before} to {@link #after}. */
    private final ConcurrentHashMap<String, byte[]> committing = new ConcurrentHashMap<>();

    /** @param record the request's record, answering the reply given (X-Request-Id included) */
    AuditGate(Journal journal, PendingRecords pending, BiFunction<InFlight, Reply, JournalRecord> record, Logger log) {
        this.journal = journal;
        this.pending = pending;
        this.record = record;
        this.log = log;
    }

    @Override public CommitFault before(InFlight r, Reply reply, Transaction tx) {
        if (journal.failing())
            return new CommitFault(CommitFault.Kind.JOURNAL, "the journal cannot write (see the server log), so the request's "
                    + "record could not be made durable");
        byte[] line;
        try {
            line = journal.encode(record.apply(r, r.withId(reply)).withCommit(JournalRecord.Commit.COMMITTED));
        } catch (RuntimeException e) {
            return new CommitFault(CommitFault.Kind.JOURNAL, "the request's record cannot be encoded: " + e.getMessage());
        }
        String text = new String(line, StandardCharsets.UTF_8);
        try {
            tx.query(c -> {
                PendingRecords.insert(c, r.id(), text, System.currentTimeMillis());
                return null;
            });
        } catch (Transaction.Abandoned e) {
            return new CommitFault(CommitFault.Kind.ABANDONED, e.getMessage());
        } catch (SQLException e) {
            return CommitFault.of(SqlFault.of(e), "the request's record could not be written to the database: " + e.getMessage());
        } catch (EffectFailure e) {
            return new CommitFault(CommitFault.Kind.STATEMENT, e.getMessage());
        }
        committing.put(r.id(), line);
        return null;
    }

    /**
     * Committed: the request is answered without waiting (its record is durable in the database)
     * and the record goes to the journal's file, its row deleted once the file holds it. Not
     * committed: the row went with the rollback, and the request goes on as it would; after an
     * outcome nobody can know (`unknown`) a row that did land is written by {@link PendingRecords#recover}.
     */
    @Override public void after(InFlight r, CommitFault fault) {
        byte[] line = committing.remove(r.id());
        if (fault != null || line == null) return;
        r.journaledAtCommit();
        String id = r.id();
        journal.append(id, line).whenComplete((v, e) -> {
            if (e == null) pending.filed(id);
            else log.error("journal: the record of request {} is kept in the database ({}) until it can be written: {}", id,
                    PendingRecords.TABLE, (e.getCause() != null ? e.getCause() : e).toString());
        });
    }
}

package dev.manaknight.runtime;

import dev.manaknight.runtime.effects.CommitFault;
import dev.manaknight.runtime.journal.CommitOutcome;
import dev.manaknight.runtime.journal.Journal;
import dev.manaknight.runtime.journal.JournalRecord;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import org.slf4j.Logger;

/**
 * Audit mode's order around a commit (journal.md, "Commits"): the request's record, saying the
 * reply it will have, is made durable first (`"commit":"pending"`); then the transaction
 * commits; then the commit's outcome is made durable as a line of its own; only then is the
 * request answered. A record that cannot be made durable means no commit (the request is
 * answered 503 and nothing it wrote is kept); an outcome that cannot be written after a commit
 * leaves the record saying its outcome is unknown, and the request is answered as committed.
 */
final class AuditGate implements RequestCore.CommitGate {
    private final Journal journal;
    private final BiFunction<InFlight, Reply, JournalRecord> record;
    private final FailureLog failures;
    private final Logger log;

    /** @param record the request's record, answering the reply given (X-Request-Id included) */
    AuditGate(Journal journal, BiFunction<InFlight, Reply, JournalRecord> record, FailureLog failures, Logger log) {
        this.journal = journal;
        this.record = record;
        this.failures = failures;
        this.log = log;
    }

    @Override public boolean before(InFlight r, Reply reply) {
        try {
            journal.append(record.apply(r, r.withId(reply)).withCommit(JournalRecord.Commit.PENDING)).join();
        } catch (CompletionException | CancellationException e) {
            Request req = r.request();
            failures.internal(r.id(), req.method(), req.rawPath(), e.getCause() != null ? e.getCause() : e);
            return false;
        }
        return true;
    }

    /**
     * Hands the commit's outcome to the writer without waiting: the request's reply waits for it
     * (Deployment), its worker and connection do not, so the next request's record shares the fsync.
     */
    @Override public void after(InFlight r, CommitFault fault) {
        var written = journal.append(new CommitOutcome(r.id(), r.attempts().size(), fault)).whenComplete((v, e) -> {
            // Committed or not, the request is answered as the commit went: its record says "unknown".
            if (e != null) log.error("journal: the outcome of request {}'s commit ({}) could not be written; its record's "
                    + "outcome reads as unknown: {}", r.id(), fault == null ? "committed" : fault,
                    (e.getCause() != null ? e.getCause() : e).toString());
        });
        r.outcomeWrite(written.exceptionally(e -> null));
        if (fault == null) r.journaledAtCommit();
    }
}

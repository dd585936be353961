package dev.manaknight.runtime.journal;

import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import java.time.Instant;
import java.util.List;

/**
 * One request as the journal keeps it: enough to run it again through the same request core and
 * to compare what it answers.
 *
 * @param id       the request id (`X-Request-Id`), unique across instances
 * @param program  SHA-256 of the module's bytes, hex
 * @param config   SHA-256 of the configuration as loaded, hex
 * @param request  as the transport handed it to the core (the peer's address is not kept)
 * @param route    the matched route (`GET /users/:id`), or null
 * @param attempts every run of the handler, in order (empty when none ran: a 404, a 400, …)
 * @param response the reply as delivered, `X-Request-Id` included
 * @param micros   from arrival to the reply
 * @param failure  the failure that made the reply a 5xx (`kind: message`), or null
 * @param stop     why the request was stopped (`DEADLINE`, `CLIENT_GONE`, `DRAIN`), or null
 * @param dropped  records the journal dropped (queue full, a write failed) since the one before
 * @param commit   audit mode: the record was made durable before its commit, and this is what
 *                 became of the commit (journal.md, "Commits"); null for every other record
 * @param hidden   why a reader could not give back some value of the record (a Secret the
 *                 configuration does not give, a sealed header without the journal's key), or
 *                 null; such a value reads as a placeholder
 */
public record JournalRecord(String id, Instant time, String program, String config, Request request, String route,
                            List<Attempt> attempts, Reply response, long fuel, long memory, long micros, String failure,
                            String stop, long dropped, Commit commit, String hidden) {
    /** What became of an audit-mode record's commit. */
    public enum Commit {
        /** As written: the record is durable, the commit not yet made (or its outcome not yet read). */
        PENDING,
        /** Its outcome line says it committed: the record is the request's. */
        COMMITTED,
        /** Its outcome line says the commit failed: a later record of the same request says how it was answered. */
        FAILED,
        /** No outcome line: the server stopped between the record and the commit's outcome (committed or not). */
        UNKNOWN
    }

    public JournalRecord {
        attempts = List.copyOf(attempts);
    }

    /** A record as the request path writes it: no commit held for it, nothing hidden. */
    public JournalRecord(String id, Instant time, String program, String config, Request request, String route,
                         List<Attempt> attempts, Reply response, long fuel, long memory, long micros, String failure,
                         String stop, long dropped) {
        this(id, time, program, config, request, route, attempts, response, fuel, memory, micros, failure, stop, dropped, null,
                null);
    }

    /** The same record with the count of records dropped before it. */
    public JournalRecord withDropped(long n) {
        return new JournalRecord(id, time, program, config, request, route, attempts, response, fuel, memory, micros, failure,
                stop, n, commit, hidden);
    }

    /** The same record, its commit held or resolved so. */
    public JournalRecord withCommit(Commit c) {
        return new JournalRecord(id, time, program, config, request, route, attempts, response, fuel, memory, micros, failure,
                stop, dropped, c, hidden);
    }

    /** `GET /users?limit=2`: the request's target as it was sent. */
    public String target() {
        return request.method() + " " + request.rawPath() + (request.query().isEmpty() ? "" : "?" + request.query());
    }
}

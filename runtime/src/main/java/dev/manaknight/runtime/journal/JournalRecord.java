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
 */
public record JournalRecord(String id, Instant time, String program, String config, Request request, String route,
                            List<Attempt> attempts, Reply response, long fuel, long memory, long micros, String failure,
                            String stop, long dropped) {
    public JournalRecord {
        attempts = List.copyOf(attempts);
    }

    /** The same record with the count of records dropped before it. */
    public JournalRecord withDropped(long n) {
        return new JournalRecord(id, time, program, config, request, route, attempts, response, fuel, memory, micros, failure,
                stop, n);
    }

    /** `GET /users?limit=2`: the request's target as it was sent. */
    public String target() {
        return request.method() + " " + request.rawPath() + (request.query().isEmpty() ? "" : "?" + request.query());
    }
}

package dev.manaknight.runtime;

import java.util.List;

/**
 * A reply a transport decides on without running a handler. {@link Deployment#refuse} turns
 * each into the same problem document, `X-Request-Id` and access-log line on every transport;
 * a transport adds only what its protocol needs (`Connection: close`, FCGI_OVERLOADED).
 */
public sealed interface Refusal {
    /** The problem document (without `instance`). */
    Problem problem();

    /** Headers beside the document's own. */
    default List<Header> headers() { return List.of(); }

    /** Workers and queue are full. */
    record Overloaded() implements Refusal {
        @Override public Problem problem() { return Problem.overloaded(); }

        @Override public List<Header> headers() { return List.of(new Header("Retry-After", "1")); }
    }

    /** The request body is larger than `limits.body`. */
    record BodyTooLarge(long limit) implements Refusal {
        @Override public Problem problem() { return Problem.tooLarge(limit); }
    }

    /** The server has `server.max_connections` open. */
    record TooManyConnections() implements Refusal {
        @Override public Problem problem() {
            return Problem.of("too-many-connections", "Service Unavailable", 503,
                    "the server has as many connections open as it allows; retry shortly");
        }

        @Override public List<Header> headers() { return List.of(new Header("Retry-After", "1")); }
    }

    /** All in-flight request bodies together would pass the server's body budget. */
    record BodiesOverBudget(long budget) implements Refusal {
        @Override public Problem problem() {
            return Problem.of("overloaded", "Service Unavailable", 503, "the server holds as many request bodies ("
                    + budget + " bytes in all) as it allows; retry shortly");
        }

        @Override public List<Header> headers() { return List.of(new Header("Retry-After", "1")); }
    }

    /** A request the protocol decoder could not read; `detail` says what was wrong. */
    record Malformed(String detail) implements Refusal {
        @Override public Problem problem() { return Problem.of("bad-request", "Bad Request", 400, detail); }
    }

    /**
     * A request head the protocol does not allow, in one part named by its pointer as an input
     * error is (`/path`, `/query`, `/header/Host`, `/header/NAME`, `/header` for a bad name): the
     * same `invalid-request` document the core answers for a malformed escape or a missing input.
     */
    record InvalidRequest(String pointer, String detail) implements Refusal {
        @Override public Problem problem() { return Problem.invalid(List.of(new InputError(pointer, detail))); }
    }

    /** The request line is longer than the decoder takes. */
    record UriTooLong(int limit) implements Refusal {
        @Override public Problem problem() {
            return Problem.of("uri-too-long", "URI Too Long", 414, "the request line is longer than " + limit + " bytes");
        }
    }

    /** The header fields are larger than the decoder takes. */
    record HeadersTooLarge(int limit) implements Refusal {
        @Override public Problem problem() {
            return Problem.of("header-fields-too-large", "Request Header Fields Too Large", 431,
                    "the request's header fields are larger than " + limit + " bytes");
        }
    }

    /** A request head that did not arrive whole within `server.idle_timeout`. */
    record HeadTimeout() implements Refusal {
        @Override public Problem problem() {
            return Problem.of("request-timeout", "Request Timeout", 408,
                    "the request head did not arrive whole within server.idle_timeout");
        }
    }

    /** An `Expect` the server cannot meet: anything but `100-continue`. */
    record ExpectationFailed() implements Refusal {
        @Override public Problem problem() {
            return Problem.of("expectation-failed", "Expectation Failed", 417, "only `Expect: 100-continue` is supported");
        }
    }

    /** An HTTP version the server does not speak. */
    record VersionNotSupported(String version) implements Refusal {
        @Override public Problem problem() {
            return Problem.of("http-version-not-supported", "HTTP Version Not Supported", 505,
                    "HTTP/1.0 and HTTP/1.1 are supported, not " + version);
        }
    }

    /** A fault of the server's own outside any handler (logged with its cause). */
    record Internal() implements Refusal {
        @Override public Problem problem() {
            return Problem.of("internal", "Internal Server Error", 500, "internal error; see the server log");
        }
    }
}

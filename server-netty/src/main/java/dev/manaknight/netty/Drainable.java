package dev.manaknight.netty;

/**
 * A connection's handler that can stop gracefully: it finishes the requests it has read, tells
 * its peer the connection ends (HTTP's `Connection: close`, FastCGI's close after END_REQUEST),
 * and closes; an idle connection closes after {@link #IDLE_GRACE} unless a request comes first.
 * Called on the connection's event loop.
 */
public interface Drainable {
    /**
     * How long an idle connection stays open once a drain began, to answer (and then close after)
     * a request its peer may already be sending: closing at once would lose a request that crosses
     * the close on the wire (32 keep-alive clients POSTing lost one request each). A request sent
     * just as the grace ends can still cross the close; HTTP clients retry those on a reused
     * connection.
     */
    java.time.Duration IDLE_GRACE = java.time.Duration.ofMillis(500);

    void drain();
}

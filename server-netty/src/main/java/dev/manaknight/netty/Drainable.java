package dev.manaknight.netty;

import java.time.Duration;

/**
 * A connection's handler that can stop gracefully: it answers every request it has read, tells
 * its peer the connection ends (HTTP's `Connection: close` on every answer from now on, FastCGI's
 * close after END_REQUEST), reads nothing more once it decided to close, and closes; an idle
 * connection closes after its grace unless a request comes first. Called on the connection's
 * event loop; a second call does nothing.
 */
public interface Drainable {
    /**
     * The least time an idle connection stays open once a drain began, to answer (and then close
     * after) a request its peer may already be sending: closing at once would lose a request that
     * crosses the close on the wire (32 keep-alive clients POSTing lost one request each). A
     * request sent just as the grace ends can still cross the close; it is then never read, so
     * never run, and its client may send it again.
     */
    Duration IDLE_GRACE = Duration.ofMillis(500);

    /**
     * Drains this connection; `tally` counts its answers and an idle close; an idle connection
     * closes after `idleGrace` (at least {@link #IDLE_GRACE}).
     */
    void drain(DrainTally tally, Duration idleGrace);
}

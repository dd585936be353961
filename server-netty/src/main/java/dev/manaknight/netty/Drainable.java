package dev.manaknight.netty;

/**
 * A connection's handler that can stop gracefully: it finishes the requests it has read, tells
 * its peer the connection ends (HTTP's `Connection: close`, FastCGI's close after END_REQUEST),
 * and closes; an idle connection closes at once. Called on the connection's event loop.
 */
public interface Drainable {
    void drain();
}

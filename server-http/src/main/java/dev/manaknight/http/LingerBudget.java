package dev.manaknight.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many connections turned away past `server.max_connections` may linger at once. A refused
 * connection is answered 503 and then closed the lingering way ({@link ConnectionGuard}), so that a
 * client which sent its request before the answer came reads the 503 instead of a reset. Each
 * such connection holds a descriptor for up to {@link ConnectionGuard#REFUSED_LINGER_MILLIS}; past
 * this budget (a flood) a refused connection is closed at once. One per server.
 */
final class LingerBudget {
    private final int max;
    private final AtomicInteger taken = new AtomicInteger();

    LingerBudget(int max) { this.max = max; }

    /** One more lingering connection, or false when `max` linger already. */
    boolean take() {
        if (taken.incrementAndGet() <= max) return true;
        taken.decrementAndGet();
        return false;
    }

    /** A connection that {@link #take} let linger has closed. */
    void give() { taken.decrementAndGet(); }

    int lingering() { return taken.get(); }
}

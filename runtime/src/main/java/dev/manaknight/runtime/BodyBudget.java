package dev.manaknight.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies a server holds at once, over all its connections
 * (`server.body_budget`). A transport takes a body's bytes before it reads (buffers) them and
 * gives them back when the request's answer is written; when the budget cannot pay, the request
 * is answered 503 (`Refusal.BodiesOverBudget`) instead of being read. So a flood of large bodies
 * queued behind busy workers ends in 503s, not in an OutOfMemoryError for everyone: 400
 * concurrent 1 MB POSTs once took 560 MB of RSS against a 256 MB heap and 64 requests died of
 * OOM (issue 12). Safe from every thread.
 */
public final class BodyBudget {
    private final long limit;
    private final AtomicLong held = new AtomicLong();

    public BodyBudget(long limit) {
        if (limit <= 0) throw new IllegalArgumentException("a body budget must be positive");
        this.limit = limit;
    }

    /** Takes `bytes`; false, taking nothing, when that would pass the budget. */
    public boolean take(long bytes) {
        if (bytes <= 0) return true;
        while (true) {
            long h = held.get();
            if (bytes > limit - h) return false;
            if (held.compareAndSet(h, h + bytes)) return true;
        }
    }

    /** Gives back bytes taken before. */
    public void give(long bytes) {
        if (bytes > 0) held.addAndGet(-bytes);
    }

    public long limit() { return limit; }

    /** Bytes held now. */
    public long held() { return held.get(); }
}

package dev.manaknight.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Lets a repeated warning through at most once per interval, from any thread. */
public final class LogThrottle {
    private final long intervalNanos;
    private final AtomicLong last = new AtomicLong();

    public LogThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** True for the first call, then for the first call after each interval. */
    public boolean due() {
        long now = System.nanoTime();
        long prev = last.get();
        return (prev == 0 || now - prev > intervalNanos) && last.compareAndSet(prev, now);
    }
}

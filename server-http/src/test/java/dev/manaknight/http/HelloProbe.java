package dev.manaknight.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A neighbour of an attack: `GET /hello` (no database, no loop) sent again and again, one at a
 * time, every {@link #PACE_MS} ms, on a virtual thread, while a test's slow or stuck requests
 * run; its latencies say whether they held it up (issue 12).
 */
final class HelloProbe implements AutoCloseable {
    static final long PACE_MS = 20;

    private final LiveApp app;
    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean stopped;

    private HelloProbe(LiveApp app) {
        this.app = app;
        this.thread = Thread.ofVirtual().name("hello-probe").start(this::loop);
    }

    static HelloProbe start(LiveApp app) { return new HelloProbe(app); }

    private void loop() {
        while (!stopped) {
            long start = System.nanoTime();
            try {
                var r = app.send("GET", "/hello");
                if (r.statusCode() != 200) failures.add(r.statusCode() + " " + r.body());
            } catch (Exception e) {
                failures.add(e.toString());
            }
            nanos.add(System.nanoTime() - start);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PACE_MS));
        }
    }

    /** Stops probing and waits for the last probe to end. */
    @Override public void close() {
        stopped = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int count() { return nanos.size(); }

    /** Answers that were not a 200, and exceptions. */
    List<String> failures() { return List.copyOf(failures); }

    /** The 99th percentile latency in ms (the slowest when there are fewer than 100 probes). */
    double p99Ms() { return percentileMs(0.99); }

    private double percentileMs(double p) {
        var sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        if (sorted.isEmpty()) return Double.NaN;
        int i = (int) Math.ceil(sorted.size() * p) - 1;
        return sorted.get(Math.max(0, i)) / 1e6;
    }

    double maxMs() {
        synchronized (nanos) {
            return nanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6;
        }
    }

    /** `n=… p50=…ms p99=…ms max=…ms`, for messages and the report. */
    @Override public String toString() {
        return String.format("n=%d p50=%.1fms p99=%.1fms max=%.1fms", count(), percentileMs(0.5), p99Ms(), maxMs());
    }
}

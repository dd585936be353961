package dev.manaknight.runtime;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PHP-FPM-style admission: at most `workers` requests execute at once and at most `queue` more
 * wait; past that a transport answers 503 (HTTP) or FCGI_OVERLOADED. Shared by every transport.
 */
public final class Admission {
    private final Semaphore running;
    private final int capacity;
    private final AtomicInteger inSystem = new AtomicInteger();

    public Admission(int workers, int queue) {
        if (workers <= 0 || queue < 0) throw new IllegalArgumentException("workers must be > 0 and queue >= 0");
        // Fair: waiting requests get a worker in arrival order, so none waits far longer than the
        // others (10,000 clients on 8 workers: the tail is the queue's length, not luck). The
        // uncontended acquire costs one look at the (empty) queue.
        this.running = new Semaphore(workers, true);
        this.capacity = workers + queue;
    }

    /** Takes a place (running or waiting) without blocking; false when full. */
    public boolean tryAdmit() {
        while (true) {
            int n = inSystem.get();
            if (n >= capacity) return false;
            if (inSystem.compareAndSet(n, n + 1)) return true;
        }
    }

    /**
     * Takes a worker once one is free (the caller must have been admitted), waiting in arrival
     * order meanwhile. {@link #finishRun} must follow.
     */
    public void startRun() throws InterruptedException { running.acquire(); }

    /**
     * Takes a free worker without waiting, for the inline path, which must not block an I/O
     * thread: false when every worker is busy (the caller then queues the request with
     * {@link #run}). After true, {@link #finishRun} must follow.
     */
    public boolean tryStartRun() {
        try {
            return running.tryAcquire(0, java.util.concurrent.TimeUnit.NANOSECONDS); // unlike tryAcquire(), never ahead of a waiting request
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives back the worker taken by {@link #tryStartRun} or {@link #startRun}. */
    public void finishRun() { running.release(); }

    /** Gives back the place taken by {@link #tryAdmit}. */
    public void leave() { inSystem.decrementAndGet(); }

    /** Requests running or waiting now. */
    public int inFlight() { return inSystem.get(); }

    /** Waits until no request is in flight, at most `timeout`; true when drained. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inSystem.get() > 0) {
            if (System.nanoTime() >= deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }
}

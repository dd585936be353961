package dev.manaknight.runtime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lines written to a buffer that a background task flushes a few times a second, so a request
 * never waits on a terminal or a disk; {@link #close} flushes the rest. Write errors are dropped:
 * a full disk must not fail requests.
 */
public final class LineSink implements AutoCloseable {
    /** Bytes buffered before a write goes through at once: a few hundred access-log lines. */
    static final int BUFFER_BYTES = 64 * 1024;
    /** Longest a written line waits in the buffer: short enough for `tail -f`, long enough to batch. */
    static final long FLUSH_EVERY_MS = 200;

    private final OutputStream target;
    private final boolean closeTarget;
    private final BufferedOutputStream buffer;
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledExecutorService flusher;
    private boolean dirty;
    private boolean closed;

    /** @param closeTarget false for stdout/stderr, which outlive the sink */
    public LineSink(OutputStream target, boolean closeTarget) {
        this.target = target;
        this.closeTarget = closeTarget;
        this.buffer = new BufferedOutputStream(target, BUFFER_BYTES);
        this.flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("manaknight-log-flush").factory());
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_EVERY_MS, FLUSH_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** Appends one line (a newline is added). */
    public void line(String text) {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (closed) return;
            buffer.write(bytes);
            dirty = true;
        } catch (IOException ignored) {
            // the log is best effort; the request is not
        } finally {
            lock.unlock();
        }
    }

    /** Writes out what is buffered. */
    public void flush() {
        lock.lock();
        try {
            if (!dirty || closed) return;
            buffer.flush();
            dirty = false;
        } catch (IOException ignored) {
            // as in line()
        } finally {
            lock.unlock();
        }
    }

    @Override public void close() {
        flusher.shutdownNow();
        flush();
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            if (closeTarget) target.close();
        } catch (IOException ignored) {
            // nothing left to lose
        } finally {
            lock.unlock();
        }
    }
}

package dev.manaknight.runtime;

import dev.manaknight.lang.vm.VmError;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * PHP-FPM's slow log (`log.slowlog`, `log.slowlog_timeout`), the same for every transport:
 * <ul>
 * <li>a request still running past the threshold is written once, while it runs, with its
 *     Manaknight stack at that moment, as PHP-FPM dumps a slow child's backtrace
 *     ({@link #running}, called by the deployment's {@link Watchdog});</li>
 * <li>a slow request that ends is written with its status, duration and cost, followed by the
 *     failure and its stack when it failed ({@link #ended}), unless it was written while running
 *     and then succeeded.</li>
 * </ul>
 * The file is created at the first entry and reopened by {@link #reopen} (SIGUSR1 after
 * logrotate). Entries are written at once, not buffered: they are rare, and one written while
 * its request still runs is worth most when it is on disk before the process is killed. Without
 * a file, slow requests are only counted by the observer.
 */
public final class SlowLog implements AutoCloseable {
    private final Path file;
    private final long thresholdNanos;
    private final RequestObserver observer;
    private java.io.PrintStream out;
    private boolean closed;
    private boolean broken;

    /** @param file null: slow requests are only counted */
    SlowLog(Path file, Duration threshold, RequestObserver observer) {
        this.file = file;
        this.thresholdNanos = threshold.toNanos();
        this.observer = observer;
    }

    /** True when a request that started at `startNanos` is slow at `now`. */
    boolean due(long startNanos, long now) { return thresholdNanos > 0 && now - startNanos >= thresholdNanos; }

    /** A request still running past the threshold, with its stack now, or null when the VM gave none yet. */
    void running(InFlight r, List<VmError.StackFrame> stack, long now) {
        if (!r.claimSlowEntry()) return;
        observer.slow(r);
        var b = head(r, now).append(" still running after ").append((now - r.startNanos()) / 1_000_000).append(" ms");
        if (stack == null) b.append("\n  (no stack: the VM reached no fuel tick since it was asked)");
        else for (VmError.StackFrame s : stack) b.append("\n  ").append(s);
        write(b);
    }

    /** A request that got its reply: written when it was slow, unless written while running and then successful. */
    void ended(InFlight r, int status, long now) {
        if (!due(r.startNanos(), now)) return;
        VmError failure = r.failure();
        boolean logged = r.slowLogged();
        if (logged && failure == null) return;
        if (!logged) observer.slow(r);
        long micros = (now - r.startNanos()) / 1000;
        var b = head(r, now).append(" -> ").append(status).append(" in ").append(micros / 1000).append('.')
                .append(String.format("%03d", micros % 1000)).append("ms (route ")
                .append(r.route() == null ? "none" : r.route()).append(", fuel ").append(r.fuel()).append(", memory ")
                .append(r.memory()).append(", effects ").append(r.effects()).append(')');
        if (failure != null) b.append('\n').append(failure.render());
        write(b);
    }

    private static StringBuilder head(InFlight r, long now) {
        Request q = r.request();
        return new StringBuilder(200).append('[').append(Instant.now()).append("] ").append(r.id()).append(' ')
                .append(q.method()).append(' ').append(q.query().isEmpty() ? q.rawPath() : q.rawPath() + "?" + q.query());
    }

    private synchronized void write(StringBuilder b) {
        if (file == null || closed || broken) return;
        if (out == null) {
            try {
                out = new java.io.PrintStream(new FileOutputStream(file.toFile(), true), true, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException | UncheckedIOException e) {
                broken = true; // an unwritable slow log is not worth failing requests over
                System.err.println("manaknight: the slow log " + file + " cannot be opened: " + e.getMessage());
                return;
            }
        }
        out.print(b.append('\n'));
    }

    /** Opens the file again at the next entry (after logrotate moved it). */
    synchronized void reopen() {
        if (out != null) out.close();
        out = null;
        broken = false;
    }

    @Override public synchronized void close() {
        closed = true;
        if (out != null) out.close();
        out = null;
    }
}

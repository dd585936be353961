package dev.manaknight.fcgi;

import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.VmError;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * PHP-FPM's slow log: a request still running after `slowlog_timeout` is written with its URI,
 * how long it has run and its Manaknight stack at that moment, as PHP-FPM dumps a slow child's
 * backtrace ({@link #running}, called by the server's watcher); a slow request that then fails
 * gets a second entry with the failure and its stack ({@link #consider}). Reopened on SIGUSR1.
 */
final class SlowLog implements AutoCloseable {
    private final Path file;
    private final long thresholdNanos;
    private final FpmStatus status;
    private PrintStream out;

    /** @param file null: slow requests are only counted */
    SlowLog(Path file, Duration threshold, FpmStatus status) throws IOException {
        this.file = file;
        this.thresholdNanos = threshold.toNanos();
        this.status = status;
        reopen();
    }

    /** True when a request that started at `startNanos` is slow at `now`. */
    boolean due(long startNanos, long now) { return thresholdNanos > 0 && now - startNanos >= thresholdNanos; }

    /**
     * A request still running past the threshold: counted and written once, with the VM's stack
     * now, or a note why there is none (the VM has not reached a fuel tick since it was asked).
     */
    void running(RequestContext ctx, List<VmError.StackFrame> stack, long now) {
        synchronized (ctx) { // against consider() at the request's end
            if (ctx.slowLogged || ctx.ended) return;
            ctx.slowLogged = true;
        }
        status.slow();
        var b = head(ctx, now, "slow request, still running after ");
        if (stack == null) b.append("  (no stack: the VM reached no fuel tick since it was asked)\n");
        else for (VmError.StackFrame s : stack) b.append("  ").append(s).append('\n');
        write(b);
    }

    /** A request that ended: written if it was slow, unless {@link #running} wrote it and it succeeded. */
    void consider(RequestContext ctx, Outcome outcome) {
        long now = System.nanoTime();
        boolean logged;
        synchronized (ctx) {
            ctx.ended = true;
            logged = ctx.slowLogged;
        }
        if (!due(ctx.startNanos, now)) return;
        boolean failed = outcome instanceof Outcome.Failed;
        if (logged && !failed) return;
        if (!logged) status.slow();
        var b = head(ctx, now, logged ? "slow request ended after " : "slow request, ");
        if (outcome instanceof Outcome.Failed f) {
            b.append("  ").append(f.error().kind().slug).append(": ").append(f.error().message()).append('\n');
            for (VmError.StackFrame s : f.error().stack()) b.append("  ").append(s).append('\n');
        }
        write(b);
    }

    private static StringBuilder head(RequestContext ctx, long now, String what) {
        return new StringBuilder(200).append('[').append(Instant.now()).append("] ").append(what)
                .append((now - ctx.startNanos) / 1_000_000).append(" ms: ").append(ctx.method).append(' ')
                .append(ctx.uri).append('\n');
    }

    private synchronized void write(StringBuilder b) {
        if (out != null) out.print(b);
    }

    /** Opens the file again (after logrotate moved it). */
    synchronized void reopen() throws IOException {
        if (file == null) return;
        PrintStream next = new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
        if (out != null) out.close();
        out = next;
    }

    @Override public synchronized void close() {
        if (out != null) out.close();
        out = null;
    }
}

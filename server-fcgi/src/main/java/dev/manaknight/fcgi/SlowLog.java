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

/**
 * PHP-FPM's slow log: a request whose VM ran longer than `slowlog_timeout` is written with its
 * URI, its duration and, when it failed, its Manaknight stack. Reopened on SIGUSR1.
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

    void consider(RequestContext ctx, Outcome outcome) {
        long took = System.nanoTime() - ctx.startNanos;
        if (thresholdNanos <= 0 || took < thresholdNanos) return;
        status.slow();
        var b = new StringBuilder(200);
        b.append('[').append(Instant.now()).append("] slow request, ").append(took / 1_000_000).append(" ms: ")
                .append(ctx.method).append(' ').append(ctx.uri).append('\n');
        if (outcome instanceof Outcome.Failed f) {
            b.append("  ").append(f.error().kind().slug).append(": ").append(f.error().message()).append('\n');
            for (VmError.StackFrame s : f.error().stack()) b.append("  ").append(s).append('\n');
        }
        synchronized (this) {
            if (out != null) out.print(b);
        }
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

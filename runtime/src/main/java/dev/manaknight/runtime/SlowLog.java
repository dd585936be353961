package dev.manaknight.runtime;

import dev.manaknight.lang.vm.VmError;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * PHP-FPM's slow log (RUNTIME.md §2 `slowlog`, `slowlog_timeout`): every request that took at
 * least the threshold, as a header line (time, id, method, URI, status, duration, route, fuel,
 * memory) followed by the failure and its Manaknight stack when the VM failed. The file is
 * created only when the first slow request happens.
 */
public final class SlowLog implements AccessLog {
    private final long thresholdMicros;
    private final Supplier<OutputStream> open;
    private LineSink sink;
    private boolean closed;

    public SlowLog(Duration threshold, Supplier<OutputStream> open) {
        this.thresholdMicros = threshold.toNanos() / 1000;
        this.open = open;
    }

    /** A slow log appending to `file`. */
    public static SlowLog toFile(Duration threshold, Path file) {
        return new SlowLog(threshold, () -> {
            try {
                return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override public void record(AccessEntry e) {
        if (e.micros() < thresholdMicros) return;
        var text = new StringBuilder(160).append('[').append(Instant.now()).append("] ").append(e.id()).append(' ')
                .append(e.method()).append(' ').append(e.uri()).append(" -> ").append(e.status()).append(" in ")
                .append(e.micros() / 1000).append('.').append(String.format("%03d", e.micros() % 1000)).append("ms (route ")
                .append(e.route() == null ? "none" : e.route()).append(", fuel ").append(e.fuel()).append(", memory ")
                .append(e.memory()).append(", effects ").append(e.effects()).append(')');
        VmError f = e.failure();
        if (f != null) text.append('\n').append(f.render());
        LineSink s = sink();
        if (s != null) s.line(text.toString());
    }

    private synchronized LineSink sink() {
        if (sink == null && !closed) {
            try {
                sink = new LineSink(open.get(), true);
            } catch (UncheckedIOException e) {
                closed = true; // an unwritable slow log is not worth failing requests over
                System.err.println("manaknight: the slow log cannot be opened: " + e.getCause().getMessage());
            }
        }
        return sink;
    }

    @Override public synchronized void close() {
        closed = true;
        if (sink != null) sink.close();
    }
}

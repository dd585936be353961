package dev.manaknight.fcgi;

import dev.manaknight.runtime.AccessEntry;
import dev.manaknight.runtime.AccessLog;
import dev.manaknight.runtime.LineSink;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * The same JSON access log as `serve` (`log.access`: stdout, stderr, off or a file), with a
 * file that SIGUSR1 reopens after logrotate moved it.
 */
final class AccessLogFile implements AccessLog, AutoCloseable {
    private final String where;
    private volatile AccessLog log;

    AccessLogFile(String where) throws IOException {
        this.where = where;
        switch (where) {
            case "off" -> log = AccessLog.NONE;
            case "stdout" -> log = AccessLog.json(new LineSink(System.out, false));
            case "stderr" -> log = AccessLog.json(new LineSink(System.err, false));
            default -> reopen();
        }
    }

    @Override public void record(AccessEntry entry) { log.record(entry); }

    /** Opens the file again; a no-op for the standard streams. */
    synchronized void reopen() throws IOException {
        if (where.equals("off") || where.equals("stdout") || where.equals("stderr")) return;
        AccessLog old = log;
        log = AccessLog.json(new LineSink(new FileOutputStream(where, true), true));
        if (old != null) closeQuietly(old);
    }

    @Override public synchronized void close() {
        if (log != null) closeQuietly(log);
    }

    private static void closeQuietly(AccessLog log) {
        try {
            log.close();
        } catch (Exception ignored) {
            // a log that cannot be closed has nothing left to lose
        }
    }
}

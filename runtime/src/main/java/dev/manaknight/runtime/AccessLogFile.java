package dev.manaknight.runtime;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The access log where `log.access` says: `off`, `stdout`, `stderr` or a file (appended to),
 * which {@link #reopen} opens again after logrotate moved it (SIGUSR1).
 */
final class AccessLogFile implements AccessLog {
    private final String where;
    private final PrintStream stdout;
    private final PrintStream stderr;
    private volatile AccessLog log;

    /** @param stdout where `stdout` goes: System.out, or stderr for CGI, whose stdout is the response */
    AccessLogFile(String where, PrintStream stdout, PrintStream stderr) throws IOException {
        this.where = where;
        this.stdout = stdout;
        this.stderr = stderr;
        switch (where) {
            case "off" -> log = AccessLog.NONE;
            case "stdout" -> log = AccessLog.json(new LineSink(stdout, false));
            case "stderr" -> log = AccessLog.json(new LineSink(stderr, false));
            default -> log = AccessLog.json(new LineSink(new FileOutputStream(where, true), true));
        }
    }

    @Override public void record(AccessEntry entry) { log.record(entry); }

    /** Opens the file again; a no-op for the standard streams. */
    @Override public synchronized void reopen() throws IOException {
        if (where.equals("off") || where.equals("stdout") || where.equals("stderr")) return;
        AccessLog old = log;
        log = AccessLog.json(new LineSink(new FileOutputStream(where, true), true));
        old.close();
    }

    @Override public synchronized void close() { log.close(); }
}

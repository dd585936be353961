package dev.manaknight.fcgi;

import dev.manaknight.runtime.AccessEntry;
import dev.manaknight.runtime.AccessLog;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The same JSON access log as `serve` (`log.access`: stdout, stderr, off or a file), with a
 * file that SIGUSR1 reopens after logrotate moved it.
 */
final class AccessLogFile implements AccessLog, AutoCloseable {
    private final String where;
    private volatile AccessLog log;
    private PrintStream file;

    AccessLogFile(String where) throws IOException {
        this.where = where;
        switch (where) {
            case "off" -> log = AccessLog.NONE;
            case "stdout" -> log = AccessLog.json(System.out);
            case "stderr" -> log = AccessLog.json(System.err);
            default -> reopen();
        }
    }

    @Override public void record(AccessEntry entry) { log.record(entry); }

    /** Opens the file again; a no-op for the standard streams. */
    synchronized void reopen() throws IOException {
        if (where.equals("off") || where.equals("stdout") || where.equals("stderr")) return;
        var next = new PrintStream(new FileOutputStream(where, true), true, StandardCharsets.UTF_8);
        PrintStream old = file;
        file = next;
        log = AccessLog.json(next);
        if (old != null) old.close();
    }

    @Override public synchronized void close() {
        if (file != null) file.close();
    }
}

package dev.manaknight.runtime.testing;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * The server log of one `test` block, kept instead of printed: `manaknight test` shows it under
 * the test's failures when the test fails, and not at all when it passes, so that its output is
 * the test report. Every level is kept; one test at a time.
 */
final class CapturedLog extends LegacyAbstractLogger {
    private final List<String> lines = new ArrayList<>();

    CapturedLog() { this.name = "manaknight"; }

    /** The lines so far, `LEVEL text`. */
    synchronized List<String> lines() { return List.copyOf(lines); }

    @Override protected synchronized void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
                                                                      Object[] args, Throwable t) {
        String text = MessageFormatter.basicArrayFormat(pattern, args);
        lines.add(level + " " + text + (t == null ? "" : " (" + t + ")"));
    }

    @Override protected String getFullyQualifiedCallerName() { return null; }

    @Override public boolean isTraceEnabled() { return true; }

    @Override public boolean isDebugEnabled() { return true; }

    @Override public boolean isInfoEnabled() { return true; }

    @Override public boolean isWarnEnabled() { return true; }

    @Override public boolean isErrorEnabled() { return true; }
}

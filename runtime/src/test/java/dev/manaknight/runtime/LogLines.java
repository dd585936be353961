package dev.manaknight.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A test's logger: every line logged, at every level, formatted (a throwable after ` THROWABLE `). */
public final class LogLines extends LegacyAbstractLogger {
    public final List<String> lines = new CopyOnWriteArrayList<>();

    @Override protected void handleNormalizedLoggingCall(Level l, Marker m, String p, Object[] a, Throwable t) {
        lines.add(MessageFormatter.basicArrayFormat(p, a) + (t == null ? "" : " THROWABLE " + t));
    }

    @Override protected String getFullyQualifiedCallerName() { return null; }

    @Override public boolean isTraceEnabled() { return true; }

    @Override public boolean isDebugEnabled() { return true; }

    @Override public boolean isInfoEnabled() { return true; }

    @Override public boolean isWarnEnabled() { return true; }

    @Override public boolean isErrorEnabled() { return true; }
}

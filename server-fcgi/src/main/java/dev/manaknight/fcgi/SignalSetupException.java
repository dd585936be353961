package dev.manaknight.fcgi;

import java.io.IOException;

/** The JVM was started so that `fpm` could not take its signals (see {@link FpmSignals#prepare}). */
public final class SignalSetupException extends IOException {
    public SignalSetupException(String message) {
        super(message);
    }
}

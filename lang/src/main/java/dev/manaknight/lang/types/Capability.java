package dev.manaknight.lang.types;

import java.util.Locale;
import java.util.Optional;

/** An effect a handler, function or test may declare with `uses { … }`. */
public enum Capability {
    /** The app's declared queries. */
    DB,
    /** `info`, `warn`, `error` to the server log. */
    LOG,
    /** `now(): Int`, epoch milliseconds. */
    CLOCK,
    /** `int(lo, hi)`, `uuid()`. */
    RANDOM;

    /** The name as written in source: `db`, `log`, … */
    public String sourceName() { return name().toLowerCase(Locale.ROOT); }

    public int bit() { return 1 << ordinal(); }

    public static Optional<Capability> bySourceName(String name) {
        for (Capability c : values()) if (c.sourceName().equals(name)) return Optional.of(c);
        return Optional.empty();
    }
}

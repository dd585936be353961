package dev.manaknight.lang.model;

import java.util.Locale;
import java.util.Optional;

/**
 * An effect a handler, function or test may declare with `uses { … }`. Each has a pinned code:
 * its byte in the `.mkb` format's effect table and its bit ({@code 1 << code}) in every
 * capability set a module stores. Codes never follow the declaration order; a new capability
 * takes a free code (at most 31: the sets are 32-bit).
 */
public enum Capability {
    /** The app's declared queries. */
    DB(0),
    /** `info`, `warn`, `error` to the server log. */
    LOG(1),
    /** `now(): Instant`. */
    CLOCK(2),
    /** `int(lo, hi)`, `uuid()`, `uuid7()`, `token(bytes)`: from a CSPRNG in the runtime. */
    RANDOM(3),
    /** `hash(password)`, `verify(password, hash)`: bcrypt in the runtime, deliberately slow, paid in fuel. */
    PASSWORD(4),
    /**
     * `send(method, url, headers, body)`: an outbound HTTP call, to the hosts the runtime's
     * configuration allows; it reaches outside the request, so a request that made one is never run again.
     */
    HTTP(5);

    private final int code;

    Capability(int code) { this.code = code; }

    /** The byte value in the module format: pinned. */
    public int code() { return code; }

    /** The name as written in source: `db`, `log`, … */
    public String sourceName() { return name().toLowerCase(Locale.ROOT); }

    public int bit() { return 1 << code; }

    /** The capability with this code, or null. */
    public static Capability of(int code) {
        for (Capability c : values()) if (c.code == code) return c;
        return null;
    }

    public static Optional<Capability> bySourceName(String name) {
        for (Capability c : values()) if (c.sourceName().equals(name)) return Optional.of(c);
        return Optional.empty();
    }
}

package dev.manaknight.runtime.config;

import java.sql.Connection;
import java.util.Locale;

/**
 * `db.isolation`: the isolation level of every request's transaction on PostgreSQL. SQLite's
 * transactions are serializable whatever is asked (one writer at a time), so the key changes
 * nothing there.
 */
public enum Isolation {
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    /** The level when `db.isolation` is not set. */
    public static final Isolation DEFAULT = SERIALIZABLE;

    /** The JDBC constant (`Connection.TRANSACTION_…`). */
    public final int jdbc;

    Isolation(int jdbc) {
        this.jdbc = jdbc;
    }

    /** The name in the configuration file: `read_committed`, `repeatable_read`, `serializable`. */
    public String key() { return name().toLowerCase(Locale.ROOT); }

    /** HikariCP's name for it (`TRANSACTION_SERIALIZABLE`). */
    public String hikariName() { return "TRANSACTION_" + name(); }

    /** The level named `key`, or null. */
    public static Isolation of(String key) {
        for (Isolation i : values()) if (i.key().equals(key)) return i;
        return null;
    }
}

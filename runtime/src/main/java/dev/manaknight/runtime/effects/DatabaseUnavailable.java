package dev.manaknight.runtime.effects;

import java.sql.SQLTransientConnectionException;

/**
 * The database cannot be used now, through no fault of the request: no connection could be had
 * within the pool's timeout, the server refused or dropped the connection, or the SQLite file is
 * gone, replaced by something else or unreadable. The request fails with a 503
 * `database-unavailable` and `Retry-After`: nothing it did was kept, and the same request may
 * succeed a moment later.
 */
public final class DatabaseUnavailable extends SQLTransientConnectionException {
    public DatabaseUnavailable(String reason) {
        super(reason, "08000");
    }

    public DatabaseUnavailable(String reason, Throwable cause) {
        super(reason, "08000", cause);
    }
}

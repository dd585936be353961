package dev.manaknight.runtime.effects;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.sqlite.SQLiteException;

/**
 * What a failed JDBC call says about its connection and the database. HikariCP evicts a
 * connection by itself only on PostgreSQL's connection SQL states, and only for calls made
 * through its proxies (the SQLite statement cache works on the connection under the proxy); it
 * knows nothing of sqlite-jdbc's result codes. So a transaction classifies every failure itself.
 */
public enum SqlFault {
    /** The statement failed — a constraint, a syntax error, a cancel: the connection is sound. */
    STATEMENT,
    /**
     * The transaction lost a race with another one and nothing it did was kept: PostgreSQL's
     * serialization failure (40001) or deadlock (40P01), SQLite's busy lock (a writer's snapshot
     * grown stale, another process holding the lock past the busy timeout). The connection is
     * sound, and the same request run again, from the start, in a new transaction, may succeed.
     */
    CONFLICT,
    /**
     * The connection or the database is broken or out of reach: the connection (if one is held)
     * is evicted from the pool rather than given back, and the request fails 503.
     */
    UNAVAILABLE;

    /** SQLite primary result codes that mean the file, not the statement, is wrong. */
    private static final Set<Integer> SQLITE_BROKEN = Set.of(
            10, // SQLITE_IOERR (and its extended codes: short read, fsync, deleted WAL, …)
            11, // SQLITE_CORRUPT
            14, // SQLITE_CANTOPEN: the file is gone and connections do not create it
            26); // SQLITE_NOTADB: the file is not (any more) a database
    /** SQLITE_READONLY_DBMOVED: the file was moved or deleted since the connection opened it. */
    private static final int SQLITE_READONLY_DBMOVED = 8 | (4 << 8);
    /** PostgreSQL's shutdown states (class 57P) besides connection exceptions (class 08). */
    private static final Set<String> PG_GONE = Set.of("57P01", "57P02", "57P03", "53300");

    /** SQLITE_BUSY, the primary code of every busy result (BUSY_SNAPSHOT, BUSY_RECOVERY, BUSY_TIMEOUT). */
    private static final int SQLITE_BUSY = 5;
    /** PostgreSQL's serialization failure and deadlock: the transaction is rolled back and may be retried. */
    private static final Set<String> PG_CONFLICT = Set.of("40001", "40P01");

    public static SqlFault of(SQLException e) {
        Throwable t = e;
        SqlFault fault = STATEMENT;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof SQLException s && unavailable(s)) return UNAVAILABLE;
            if (t instanceof SQLException s && conflict(s)) fault = CONFLICT;
        }
        return fault;
    }

    private static boolean conflict(SQLException e) {
        if (e instanceof SQLiteException s) return (s.getResultCode().code & 0xff) == SQLITE_BUSY;
        return e.getSQLState() != null && PG_CONFLICT.contains(e.getSQLState());
    }

    private static boolean unavailable(SQLException e) {
        if (e instanceof SQLTransientConnectionException) return true; // the pool's timeout; DatabaseUnavailable
        if (e instanceof SQLiteException s)
            return SQLITE_BROKEN.contains(s.getErrorCode()) || s.getResultCode().code == SQLITE_READONLY_DBMOVED;
        String state = e.getSQLState();
        // Class 53, insufficient resources: out of disk (53100), of memory (53200: also SSI's
        // predicate-lock table, filled while one long serializable transaction runs), of
        // connections (53300). The server, not the statement, is wrong, and for a while: 503.
        return state != null && (state.startsWith("08") || state.startsWith("53") || PG_GONE.contains(state));
    }
}

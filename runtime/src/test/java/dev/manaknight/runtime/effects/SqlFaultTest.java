package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Which failures say "run it again" (issue 14), "the database is gone" (issue 12) or "this statement failed". */
class SqlFaultTest {
    private static SQLException pg(String state) {
        return new SQLException("ERROR from the server", state);
    }

    private static SQLException sqlite(SQLiteErrorCode code) {
        return new SQLiteException(code.message, code);
    }

    @Test void lostRacesAreConflicts() {
        assertEquals(SqlFault.CONFLICT, SqlFault.of(pg("40001")), "serialization failure");
        assertEquals(SqlFault.CONFLICT, SqlFault.of(pg("40P01")), "deadlock");
        assertEquals(SqlFault.CONFLICT, SqlFault.of(sqlite(SQLiteErrorCode.SQLITE_BUSY)));
        assertEquals(SqlFault.CONFLICT, SqlFault.of(sqlite(SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT)), "a stale snapshot");
        assertEquals(SqlFault.CONFLICT, SqlFault.of(new SQLException("commit failed", pg("40001"))), "as a cause");
    }

    @Test void constraintsAndOtherStatementErrorsAreNot() {
        for (String state : new String[] {"23505", "23503", "23514", "23502", "42P01", "57014", "40002", "40003"})
            assertEquals(SqlFault.STATEMENT, SqlFault.of(pg(state)), state);
        assertEquals(SqlFault.STATEMENT, SqlFault.of(sqlite(SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE)));
        assertEquals(SqlFault.STATEMENT, SqlFault.of(sqlite(SQLiteErrorCode.SQLITE_INTERRUPT)));
        assertEquals(SqlFault.STATEMENT, SqlFault.of(new SQLException("no state")));
    }

    @Test void anUnreachableDatabaseWinsOverAConflict() {
        assertEquals(SqlFault.UNAVAILABLE, SqlFault.of(pg("08006")));
        assertEquals(SqlFault.UNAVAILABLE, SqlFault.of(new SQLException("lost", "40001", new SQLTransientConnectionException("gone"))));
        assertEquals(SqlFault.UNAVAILABLE, SqlFault.of(sqlite(SQLiteErrorCode.SQLITE_NOTADB)));
    }

    /**
     * bench/ledger.sh at `serializable`: while one long transaction ran, PostgreSQL's predicate-lock
     * table filled and thousands of transfers were 500 "out of shared memory" (53200). A server out
     * of a resource is out of reach for a while: 503 with Retry-After, as an outage is.
     */
    @Test void aServerOutOfResourcesIsUnavailable() {
        for (String state : new String[] {"53000", "53100", "53200", "53300", "53400"})
            assertEquals(SqlFault.UNAVAILABLE, SqlFault.of(pg(state)), state);
    }
}

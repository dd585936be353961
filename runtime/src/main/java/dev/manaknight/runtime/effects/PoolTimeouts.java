package dev.manaknight.runtime.effects;

import java.time.Duration;

/**
 * How long a pooled database may make a request wait, derived from the request's wall-clock
 * limit `limits.timeout` (T), so that a database that is down or frozen ends a request within T
 * with a 503 instead of hanging it (runtime.md, Effects):
 *
 * <table>
 * <tr><th>timeout</th><th>value</th><th>bounds</th></tr>
 * <tr><td>pool acquisition (HikariCP `connectionTimeout`)</td><td>`db.connect_timeout` (default 2 s), at most T / 2,
 *     at least 250 ms (HikariCP's floor)</td>
 *     <td>how long a request waits for a connection — one to open, or one to come free — before its 503</td></tr>
 * <tr><td>validation of an idle connection (`validationTimeout`)</td><td>half the acquisition time, 250 ms to 5 s</td>
 *     <td>a pooled connection to a frozen server is found dead in time</td></tr>
 * <tr><td>pgjdbc `connectTimeout`, `loginTimeout`</td><td>the acquisition time, in whole seconds (at least 1)</td>
 *     <td>opening a connection to a server that does not answer</td></tr>
 * <tr><td>pgjdbc `socketTimeout`</td><td>T + 2 s, in whole seconds</td>
 *     <td>a database thread stuck in a read from a frozen server: the statement was cancelled at T; 2 s
 *     later its connection is given up as broken</td></tr>
 * <tr><td>pgjdbc `cancelSignalTimeout`</td><td>the acquisition time, in whole seconds</td>
 *     <td>sending a cancel to a server that does not answer</td></tr>
 * <tr><td>PostgreSQL `statement_timeout`, `idle_in_transaction_session_timeout`</td><td>T + 2 s</td>
 *     <td>the server's own end for a statement whose cancel never came (a killed process) and for
 *     a transaction a vanished client left open; migrations lift both for their session</td></tr>
 * <tr><td>SQLite `busy_timeout`</td><td>T, at most 5 s</td><td>a writer waiting for another's lock</td></tr>
 * </table>
 * A value given in the database URL (`?socketTimeout=…`) wins over these.
 */
record PoolTimeouts(long acquireMs, long validationMs, int connectSeconds, int socketSeconds, long sqliteBusyMs) {
    /** HikariCP refuses a connection or validation timeout below this. */
    static final long HIKARI_FLOOR_MS = 250;
    static final long MAX_ACQUIRE_MS = 30_000;
    static final long MAX_VALIDATION_MS = 5_000;
    static final long MAX_BUSY_MS = 5_000;
    /** How long past the request's deadline a read from the server may still block a database thread. */
    static final int SOCKET_GRACE_SECONDS = 2;

    /** `db.connect_timeout` when not set. */
    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(2);

    static PoolTimeouts of(Duration requestTimeout) { return of(requestTimeout, DEFAULT_CONNECT); }

    /** @param connect `db.connect_timeout`: the wait for a connection, cut to half the request's time */
    static PoolTimeouts of(Duration requestTimeout, Duration connect) {
        long t = Math.max(1, requestTimeout.toMillis());
        long acquire = clamp(Math.min(connect.toMillis(), t / 2), HIKARI_FLOOR_MS, MAX_ACQUIRE_MS);
        long validation = clamp(acquire / 2, HIKARI_FLOOR_MS, MAX_VALIDATION_MS);
        return new PoolTimeouts(acquire, validation, seconds(acquire), seconds(t) + SOCKET_GRACE_SECONDS, Math.min(t, MAX_BUSY_MS));
    }

    /** PostgreSQL's server-side limits, in milliseconds: the socket timeout's T + grace. */
    long serverMs() { return socketSeconds * 1000L; }

    private static long clamp(long v, long lo, long hi) { return Math.max(lo, Math.min(hi, v)); }

    /** Whole seconds, rounded up, at least 1 (pgjdbc's unit; 0 would mean "no timeout"). */
    private static int seconds(long ms) { return (int) Math.max(1, (ms + 999) / 1000); }
}

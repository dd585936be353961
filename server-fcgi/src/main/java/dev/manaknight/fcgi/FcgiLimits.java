package dev.manaknight.fcgi;

/**
 * Every limit the FastCGI decoder enforces, in one record (the table is in fcgi.md). Input past
 * a limit closes the connection, except a body past `maxStdinBytes`, which is answered 413.
 *
 * @param maxParamsBytes           the whole PARAMS stream of one request; nginx sends ~1 KB plus the
 *                                 client's headers, so 128 KB bounds a hostile peer, not a real one
 * @param maxParams                name-value pairs per request: headers are a few dozen
 * @param maxStdinBytes            the request body (`limits.body`); more is a 413
 * @param maxRecordsPerRequest     records of one request: bounds a peer that dribbles 1-byte records
 * @param maxRequestsPerConnection requests open at once on one connection (multiplexing); nginx uses one
 * @param maxConns                 FCGI_MAX_CONNS as answered to GET_VALUES
 * @param maxReqs                  FCGI_MAX_REQS as answered to GET_VALUES: workers + queue
 */
public record FcgiLimits(int maxParamsBytes, int maxParams, long maxStdinBytes, int maxRecordsPerRequest,
                         int maxRequestsPerConnection, int maxConns, int maxReqs) {
    public static final int DEFAULT_MAX_PARAMS_BYTES = 128 * 1024;
    public static final int DEFAULT_MAX_PARAMS = 512;
    public static final int DEFAULT_MAX_RECORDS_PER_REQUEST = 1 << 16;
    public static final int DEFAULT_MAX_REQUESTS_PER_CONNECTION = 32;
    /** Connections kept open at once unless `max_connections` says otherwise or the fd limit is lower. */
    public static final int DEFAULT_MAX_CONNS = 4096;

    public FcgiLimits {
        if (maxParamsBytes <= 0 || maxParams <= 0 || maxStdinBytes < 0 || maxRecordsPerRequest <= 0
                || maxRequestsPerConnection <= 0 || maxConns <= 0 || maxReqs <= 0)
            throw new IllegalArgumentException("fcgi: every limit must be positive");
    }

    /** The defaults for a body limit, the admission capacity (workers + queue) and the connections kept open at once. */
    public static FcgiLimits of(long bodyLimit, int capacity, int maxConns) {
        return new FcgiLimits(DEFAULT_MAX_PARAMS_BYTES, DEFAULT_MAX_PARAMS, bodyLimit, DEFAULT_MAX_RECORDS_PER_REQUEST,
                DEFAULT_MAX_REQUESTS_PER_CONNECTION, maxConns, capacity);
    }
}

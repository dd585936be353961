package dev.manaknight.fcgi;

import java.util.Map;

/**
 * One responder request, complete (params and stdin received).
 *
 * @param keepConn      FCGI_KEEP_CONN: the connection stays open after this request
 * @param stdinTooLarge the body passed `maxStdinBytes`; `stdin` then holds nothing, answer 413
 * @param overBudget    the server's body budget could not hold the body; `stdin` then holds nothing, answer 503
 */
public record FcgiRequest(int id, Map<String, String> params, byte[] stdin, boolean keepConn, boolean stdinTooLarge,
                          boolean overBudget) {
    public FcgiRequest {
        params = java.util.Collections.unmodifiableMap(params); // arrival order kept for headers
    }
}

package dev.manaknight.fcgi;

import java.util.Map;

/**
 * One responder request, complete (params and stdin received).
 *
 * @param keepConn      FCGI_KEEP_CONN: the connection stays open after this request
 * @param stdinTooLarge the body passed `maxStdinBytes`; `stdin` then holds nothing, answer 413
 */
public record FcgiRequest(int id, Map<String, String> params, byte[] stdin, boolean keepConn, boolean stdinTooLarge) {
    public FcgiRequest {
        params = java.util.Collections.unmodifiableMap(params); // arrival order kept for headers
    }
}

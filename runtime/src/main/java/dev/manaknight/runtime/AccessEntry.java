package dev.manaknight.runtime;

import dev.manaknight.lang.vm.VmError;

/**
 * One request as the access log (and the slow log) records it.
 *
 * @param query   the raw query string, "" when there is none (slow log only)
 * @param route   the matched route (`GET /users/:id`), or null
 * @param memory  peak VM bytes (the meter's count)
 * @param effects effect calls made
 * @param failure the VM failure that turned the request into a 500, or null (slow log only)
 */
public record AccessEntry(String id, String method, String path, String query, String route, int status, long micros,
                          long fuel, long memory, int effects, VmError failure) {
    /** The request target as received: path and, when there is one, `?query`. */
    public String uri() { return query.isEmpty() ? path : path + "?" + query; }
}

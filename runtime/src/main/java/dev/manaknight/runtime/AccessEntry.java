package dev.manaknight.runtime;

/**
 * One request as the access log records it.
 *
 * @param route   the matched route (`GET /users/:id`), or null
 * @param memory  peak VM bytes (the meter's count)
 * @param effects effect calls made
 */
public record AccessEntry(String id, String method, String path, String route, int status, long micros, long fuel,
                          long memory, int effects) {}

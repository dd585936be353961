package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.types.HttpMethod;
import dev.manaknight.lang.types.Type;
import java.util.List;

/**
 * One `api` handler in the route manifest: everything the runtime needs to match, validate and
 * describe a request before any VM exists.
 *
 * @param path        as written, `/users/:id`
 * @param handler     function index; its parameters are the inputs, in order
 * @param capabilities bit set of declared capabilities (exactly what the runtime injects)
 * @param responses   the statuses the handler can answer and their body types (for OpenAPI)
 */
public record Route(HttpMethod method, String path, int handler, List<Input> inputs, int capabilities,
                    List<Response> responses, String file, int line) {
    public Route {
        inputs = List.copyOf(inputs);
        responses = List.copyOf(responses);
    }

    public enum Source { PATH, QUERY, HEADER, BODY }

    /**
     * A typed input. `wireName` is how it appears on the wire (a header's `Idempotency-Key`).
     * `defaultValue` is null when the input has none (a missing required one is a 400).
     */
    public record Input(Source source, String name, String wireName, Type type, Constant defaultValue) {}

    public enum BodyKind { NONE, JSON, TEXT }

    /** @param status the status code, or 0 when it is computed at run time */
    public record Response(int status, BodyKind body, Type type) {}
}

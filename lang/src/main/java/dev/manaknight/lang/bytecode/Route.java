package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
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

    /** Where an input comes from; the code is its pinned byte in the `.mkb` format. */
    public enum Source {
        PATH(0), QUERY(1), HEADER(2), BODY(3),
        /** The body's bytes as UTF-8 text, exactly as sent: what a webhook's signature covers. */
        RAW(4);

        private static final Source[] BY_CODE = Codes.table(values(), Source::code, Source[]::new);
        private final int code;

        Source(int code) { this.code = code; }

        public int code() { return code; }

        /** The source with this code, or null. */
        public static Source of(int code) { return Codes.lookup(BY_CODE, code); }
    }

    /**
     * A typed input. `wireName` is how it appears on the wire (a header's `Idempotency-Key`).
     * `defaultValue` is null when the input has none (a missing required one is a 400).
     */
    public record Input(Source source, String name, String wireName, Type type, Constant defaultValue) {}

    /** What a response carries; the code is its pinned byte in the `.mkb` format. */
    public enum BodyKind {
        NONE(0), JSON(1), TEXT(2);

        private static final BodyKind[] BY_CODE = Codes.table(values(), BodyKind::code, BodyKind[]::new);
        private final int code;

        BodyKind(int code) { this.code = code; }

        public int code() { return code; }

        /** The body kind with this code, or null. */
        public static BodyKind of(int code) { return Codes.lookup(BY_CODE, code); }
    }

    /** @param status the status code, or 0 when it is computed at run time */
    public record Response(int status, BodyKind body, Type type) {}
}

package dev.manaknight.lang.vm;

import dev.manaknight.lang.types.Type;
import java.util.List;

/** What `respond` produced: a status, a body, and headers in the order written. */
public record Response(int status, Body body, List<Header> headers) {
    public Response {
        headers = List.copyOf(headers);
    }

    public record Header(String name, String value) {}

    public sealed interface Body {
        /** `respond status 204` */
        record None() implements Body {}

        /** `json(v)`: the value and its static type, so the runtime can encode it exactly. */
        record Json(Type type, Object value) implements Body {}

        /** `text(s)` */
        record Text(String text) implements Body {}
    }
}

package dev.manaknight.runtime;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the core answers, for a transport to write. A transport adds `Content-Length` from the
 * body unless the headers already carry one (only replies to HEAD do: the GET body's length).
 */
public record Reply(int status, List<Header> headers, byte[] body) {
    public Reply {
        headers = List.copyOf(headers);
    }

    /** The first header with this name (case-insensitive), or null. */
    public String header(String name) {
        for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
        return null;
    }

    /** The body as UTF-8 text (tests and logs). */
    public String text() { return new String(body, StandardCharsets.UTF_8); }
}

package dev.manaknight.lang.vm;

import dev.manaknight.lang.model.Type;
import java.util.List;

/**
 * What `respond` produced: a status, a body, and headers in the order written; `keep` when it was
 * `respond keep`: a 4xx that keeps the request's database writes (the runtime's rule: a
 * transaction commits below 400 only).
 */
public record Response(int status, Body body, List<Header> headers, boolean keep) {
    public Response {
        headers = List.copyOf(headers);
    }

    /** A response without `keep`. */
    public Response(int status, Body body, List<Header> headers) {
        this(status, body, headers, false);
    }

    public record Header(String name, String value) {
        /**
         * What is wrong with a header a handler wrote, or null when it can go on the wire: the
         * name must be an RFC 9110 token (letters, digits and ``!#$%&'*+-.^_`|~``), the value
         * may hold no control character but TAB (a CR or LF would split the response, a NUL or
         * DEL is refused by every strict peer).
         */
        public static String problem(String name, String value) {
            if (name.isEmpty()) return "a header name is empty";
            for (int i = 0; i < name.length(); i++) {
                if (!tokenChar(name.charAt(i)))
                    return "header name `" + printable(name) + "` has a character a name cannot hold (at " + i + ")";
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 && c != '\t' || c == 0x7F)
                    return "header `" + name + "` contains the control character U+" + String.format("%04X", (int) c)
                            + " (at " + i + ")";
            }
            return null;
        }

        private static boolean tokenChar(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }

        private static String printable(String s) {
            var b = new StringBuilder(s.length());
            for (int i = 0; i < s.length() && i < 64; i++) {
                char c = s.charAt(i);
                b.append(c < 0x20 || c == 0x7F ? '?' : c);
            }
            return b.toString();
        }
    }

    public sealed interface Body {
        /** `respond status 204` */
        record None() implements Body {}

        /** `json(v)`: the value and its static type, so the runtime can encode it exactly. */
        record Json(Type type, Object value) implements Body {}

        /** `text(s)` */
        record Text(String text) implements Body {}
    }
}

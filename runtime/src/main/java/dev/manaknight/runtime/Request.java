package dev.manaknight.runtime;

import java.util.List;

/**
 * A request as every transport (HTTP, FastCGI, CGI) hands it to the core.
 *
 * @param method        as received, upper case by convention (`GET`, `HEAD`, …)
 * @param rawPath       the path, still percent-encoded, without the query string
 * @param query         the raw query string without `?`, or "" when there is none
 * @param headers       in arrival order; names compared case-insensitively
 * @param body          the raw body, empty when there is none
 * @param remoteAddress the peer, for logs only
 */
public record Request(String method, String rawPath, String query, List<Header> headers, byte[] body,
                      String remoteAddress) {
    public Request {
        headers = List.copyOf(headers);
        if (query == null) query = "";
        if (body == null) body = new byte[0];
    }

    /** What a transport knows of a request it refused before reading one (method `-`, no path), for the log. */
    public static Request unread(String remoteAddress) {
        return new Request("-", "", "", List.of(), new byte[0], remoteAddress);
    }

    /** Splits a request target (`/users?limit=2`) into path and query. */
    public static Request of(String method, String target, List<Header> headers, byte[] body, String remoteAddress) {
        int q = target.indexOf('?');
        return q < 0 ? new Request(method, target, "", headers, body, remoteAddress)
                : new Request(method, target.substring(0, q), target.substring(q + 1), headers, body, remoteAddress);
    }

    /** The first header with this name (case-insensitive), or null. */
    public String header(String name) {
        for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
        return null;
    }

    /** Every header with this name (case-insensitive), in order. */
    public List<String> headerValues(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }
}

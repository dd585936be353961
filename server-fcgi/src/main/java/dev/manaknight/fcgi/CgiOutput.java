package dev.manaknight.fcgi;

import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.ReasonPhrase;
import dev.manaknight.runtime.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A core {@link Reply} as a CGI response document (RFC 3875 §6): `Status: 200 OK`, the headers,
 * `Content-Length` unless present (HEAD replies carry the GET body's), a blank line, the body.
 * FastCGI sends it as STDOUT; `manaknight cgi` writes it to stdout.
 */
public final class CgiOutput {
    private CgiOutput() {}

    public static byte[] of(Reply reply) {
        var head = new StringBuilder(256);
        head.append("Status: ").append(reply.status()).append(' ')
                .append(ReasonPhrase.of(reply.status())).append("\r\n");
        boolean length = false;
        for (Header h : reply.headers()) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
            length |= h.name().equalsIgnoreCase("Content-Length");
        }
        if (!length) head.append("Content-Length: ").append(reply.body().length).append("\r\n");
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(h, h.length + reply.body().length); // head and body in one array, no stream
        System.arraycopy(reply.body(), 0, out, h.length, reply.body().length);
        return out;
    }
}

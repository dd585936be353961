package dev.manaknight.cli.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 exchange over a fresh socket, as an attacker or a client makes it, classified the
 * way the soak run counts it: answered with a status, or not answered at all (closed, reset or
 * silent until the client's patience ran out).
 */
record Exchange(int status, long micros, String failure, String problem) {
    /** How long a client waits for an answer: the server's timeout, its margin and some slack. */
    static final int PATIENCE_MS = 6000;

    boolean answered() { return status > 0; }

    /** Sends `request` (head and body as bytes) and reads one response. */
    static Exchange of(int port, byte[] request) { return of(null, port, request); }

    /** The same from the local address `from` (another client than 127.0.0.1), or any when null. */
    static Exchange of(InetAddress from, int port, byte[] request) {
        long start = System.nanoTime();
        try (var s = new Socket()) {
            if (from != null) s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), PATIENCE_MS);
            s.setSoTimeout(PATIENCE_MS);
            OutputStream out = s.getOutputStream();
            IOException writeFailure = null;
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                writeFailure = e;
            }
            // A server may answer before the request is all sent (413, a 503 past the connection
            // table) and stop reading; the client's write then fails, but the answer has come.
            // Clients that matter read it (browsers, nginx as a proxy), and so does this one: only
            // when there is no answer to read is the exchange unanswered.
            var problem = new String[1];
            int status;
            try {
                status = readResponse(s.getInputStream(), problem);
            } catch (IOException e) {
                if (writeFailure != null) writeFailure.addSuppressed(e);
                throw writeFailure != null ? writeFailure : e;
            }
            return new Exchange(status, (System.nanoTime() - start) / 1000, null, problem[0]);
        } catch (SocketTimeoutException e) {
            return new Exchange(0, (System.nanoTime() - start) / 1000, "no answer within " + PATIENCE_MS + " ms", null);
        } catch (IOException e) {
            return new Exchange(0, (System.nanoTime() - start) / 1000, e.toString(), null);
        }
    }

    /** The status, and the problem type's last segment when the answer is a problem document (`503 overloaded`). */
    String describe() { return problem == null ? String.valueOf(status) : status + " " + problem; }

    static Exchange get(int port, String target) { return get(null, port, target); }

    static Exchange get(InetAddress from, int port, String target) {
        return of(from, port, ("GET " + target + " HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    static Exchange post(int port, String target, String contentType, byte[] body) {
        return post(null, port, target, contentType, body);
    }

    static Exchange post(InetAddress from, int port, String target, String contentType, byte[] body) {
        byte[] head = ("POST " + target + " HTTP/1.1\r\nHost: soak\r\nConnection: close\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return of(from, port, all);
    }

    /** The status of one response, its body read and dropped; throws when the stream ends first. */
    static int readResponse(InputStream in) throws IOException { return readResponse(in, new String[1]); }

    /** Bodies up to this size are looked at for a problem type. */
    private static final int PROBLEM_MAX = 4096;

    /**
     * The same, leaving in `problem[0]` the problem type of a problem document's body and, in
     * brackets, the response's `X-Request-Id` (`database-unavailable [k3x9-a1b2]`), or null.
     */
    static int readResponse(InputStream in, String[] problem) throws IOException {
        var head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException(head.size() == 0 ? "closed without an answer" : "closed in the head");
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        long length = 0;
        String id = null;
        for (String line : h.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) length = Long.parseLong(line.substring(15).trim());
            if (line.regionMatches(true, 0, "x-request-id:", 0, 13)) id = line.substring(13).trim();
        }
        if (length > 0 && length <= PROBLEM_MAX && h.toLowerCase(java.util.Locale.ROOT).contains("application/problem+json")) {
            String body = new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
            int at = body.indexOf("/problems/");
            if (at >= 0) problem[0] = body.substring(at + 10, Math.max(at + 10, body.indexOf('"', at)))
                    + (id == null ? "" : " [" + id + "]"); // the server log names the request by its id
        } else {
            in.skipNBytes(length);
        }
        return Integer.parseInt(h.substring(9, 12));
    }
}

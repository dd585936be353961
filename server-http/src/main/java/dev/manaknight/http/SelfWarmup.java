package dev.manaknight.http;

import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The server's requests to itself right after binding, before its ready line: they take the
 * whole Netty path (accept, codec, keep-alive, aggregation, a virtual thread, the write) so that
 * the first client does not pay its class loading. They carry a random per-server secret and are
 * answered without the core: no VM, no access-log line.
 */
final class SelfWarmup {
    static final String HEADER = "X-Manaknight-Warmup";
    static final Reply REPLY = new Reply(204, List.of(new Header("X-Manaknight-Warmup", "done")), new byte[0]);
    /** Requests on one kept-alive connection: the first loads classes, the rest take the warm path. */
    static final int REQUESTS = 3;
    /** A self-request must not delay the start by more than this. */
    static final int TIMEOUT_MS = 2000;

    private SelfWarmup() {}

    static String newToken() {
        var bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Sends the warm-up requests; any failure only means a slower first request. */
    static void run(InetSocketAddress bound, String token) {
        InetAddress target = bound.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound.getAddress();
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(target, bound.getPort()), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < REQUESTS; i++) {
                boolean last = i == REQUESTS - 1;
                out.write(("GET /warmup HTTP/1.1\r\nHost: localhost\r\n" + HEADER + ": " + token + "\r\n"
                        + (last ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readHead(in);
            }
        } catch (IOException e) {
            // the server answers real clients all the same
        }
    }

    /** Reads one response head (the reply has no body). */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("closed");
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}

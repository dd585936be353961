package dev.manaknight.cli.soak;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;

/**
 * The attacks of issue 12, each a request (or a connection) an adversary sends over and over,
 * with the answers the server may give it. None of them may go unanswered. Each may also be
 * refused 503 as it connects: the attackers share their address with the idle flood, whose
 * connections fill the table, and at a full table the client holding most of it is the one
 * refused (runtime.md, `server.max_connections`).
 */
enum Attack {
    /** A request that overflows the call stack: 256 frames, once 7 KB of log each. */
    STACK_OVERFLOW(2, Set.of(500, 503)) {
        @Override Exchange shot(int port, Random r) { return Exchange.get(port, "/forever"); }
    },
    /** A list doubled until the memory meter stops it. */
    MEMORY_BOMB(1, Set.of(500, 503)) {
        @Override Exchange shot(int port, Random r) { return Exchange.get(port, "/bomb/60"); }
    },
    /** A loop that would run forever: fuel or CPU stops it. */
    SPIN(1, Set.of(500, 503)) {
        @Override Exchange shot(int port, Random r) { return Exchange.get(port, "/spin"); }
    },
    /** A control character the handler puts into a response header. */
    HEADER_CONTROL(1, Set.of(500, 503)) {
        @Override Exchange shot(int port, Random r) { return Exchange.get(port, "/echo-header?v=a%01b"); }
    },
    /** 1 MB bodies, many at once: paid from the body budget or refused. */
    BODY_FLOOD(8, Set.of(400, 413, 503)) {
        @Override Exchange shot(int port, Random r) {
            byte[] body = ("{\"name\":\"" + "x".repeat(1_000_000 - 32) + "\",\"price\":\"no\"}").getBytes(StandardCharsets.UTF_8);
            return Exchange.post(port, "/items", "application/json", body);
        }
    },
    /** `s.contains(p)` on a 500,000-character body with a pattern that almost matches everywhere. */
    BUILTIN_BOMB(1, Set.of(200, 500, 503)) {
        @Override Exchange shot(int port, Random r) {
            byte[] body = ("\"" + "a".repeat(500_000) + "\"").getBytes(StandardCharsets.UTF_8);
            return Exchange.post(port, "/search?p=" + "a".repeat(2000) + "b", "application/json", body);
        }
    },
    /** A query that would never end (a recursive CTE), holding a connection and a database thread. */
    SLOW_QUERY(2, Set.of(500, 503)) {
        @Override Exchange shot(int port, Random r) { return Exchange.get(port, "/slowdb"); }
    },
    /** Bytes that are not HTTP. */
    JUNK(1, Set.of(400, 414, 431, 505, 503)) {
        @Override Exchange shot(int port, Random r) {
            byte[] b = new byte[200];
            r.nextBytes(b);
            b[b.length - 4] = '\r';
            b[b.length - 3] = '\n';
            b[b.length - 2] = '\r';
            b[b.length - 1] = '\n';
            return Exchange.of(port, b);
        }
    },
    /** A request head trickled too slowly: the idle timeout answers it 408 (or it is shed for a new connection, 503). */
    SLOWLORIS(2, Set.of(408, 503)) {
        @Override Exchange shot(int port, Random r) {
            return Exchange.of(port, "GET /hello HTTP/1.1\r\nHost: soak\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
        }
    };

    /** True for attacks on HTTP itself, which nginx answers in front of `fpm` (junk, slowloris): not run there. */
    boolean onHttp() { return this == JUNK || this == SLOWLORIS; }

    /** Attacker threads of this kind. */
    final int threads;
    /** The answers the server may give it. */
    final Set<Integer> expected;

    Attack(int threads, Set<Integer> expected) {
        this.threads = threads;
        this.expected = expected;
    }

    abstract Exchange shot(int port, Random r);
}

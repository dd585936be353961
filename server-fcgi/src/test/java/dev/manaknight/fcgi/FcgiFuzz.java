package dev.manaknight.fcgi;

import static dev.manaknight.fcgi.FcgiProtocol.*;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;

/**
 * Malformed FastCGI input for the robustness tests: well-formed streams a web server could send
 * (the corpus), and seeded mutations of them that keep enough structure to get past the first
 * header. The same seed gives the same cases, so a failure names its seed and case and can be
 * replayed.
 */
final class FcgiFuzz {
    private final Random random;

    FcgiFuzz(long seed) { this.random = new Random(seed); }

    /** The streams the mutations start from: each a thing nginx, a management client or a hostile peer may send. */
    static List<byte[]> corpus() {
        var corpus = new ArrayList<byte[]>();
        var get = FpmServerTest.req("GET", "/hello");
        var post = FpmServerTest.req("POST", "/notes");
        post.put("CONTENT_TYPE", "application/json");
        post.put("CONTENT_LENGTH", "13");
        post.put("HTTP_X_LONG", "v".repeat(300));
        corpus.add(new Records().request(1, false, get, "").bytes());
        corpus.add(new Records().request(1, true, get, "").request(2, true, FpmServerTest.req("GET", "/version"), "").bytes());
        corpus.add(new Records().request(7, false, post, "{\"a\":[1,2,3]}").bytes());
        corpus.add(new Records().begin(1, FCGI_RESPONDER, true).begin(2, FCGI_RESPONDER, true)
                .params(1, get).params(2, FpmServerTest.req("GET", "/version")).stdin(2, "").stdin(1, "").bytes());
        corpus.add(new Records().begin(3, FCGI_RESPONDER, false).params(3, get)
                .record(FCGI_ABORT_REQUEST, 3, new byte[0]).bytes());
        corpus.add(new Records().begin(4, FCGI_AUTHORIZER, false).params(4, get).stdin(4, "").bytes());
        var names = new LinkedHashMap<String, String>();
        names.put(FCGI_MAX_CONNS, "");
        names.put(FCGI_MAX_REQS, "");
        names.put(FCGI_MPXS_CONNS, "");
        corpus.add(new Records().record(FCGI_GET_VALUES, FCGI_NULL_REQUEST_ID, encodePairs(names)).bytes());
        return corpus;
    }

    /** One corpus stream with one to four mutations. */
    byte[] next(List<byte[]> corpus) {
        byte[] b = corpus.get(random.nextInt(corpus.size())).clone();
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations && b.length > 0; i++) b = mutate(b);
        return b;
    }

    /** Splits a stream into the pieces it arrives in: whole, single bytes, or random sizes. */
    List<byte[]> chunks(byte[] b) {
        var out = new ArrayList<byte[]>();
        int mode = random.nextInt(3);
        for (int at = 0; at < b.length; ) {
            int n = switch (mode) {
                case 0 -> b.length;
                case 1 -> 1;
                default -> 1 + random.nextInt(Math.min(64, b.length));
            };
            n = Math.min(n, b.length - at);
            byte[] piece = new byte[n];
            System.arraycopy(b, at, piece, 0, n);
            out.add(piece);
            at += n;
        }
        return out;
    }

    private byte[] mutate(byte[] b) {
        int at = random.nextInt(b.length);
        switch (random.nextInt(7)) {
            case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));   // a flipped bit
            case 1 -> b[at] = (byte) edgeByte();                  // a byte at an edge value
            case 2 -> headerField(b);                             // a record header field
            case 3 -> { return slice(b, 0, at); }                 // cut short
            case 4 -> { return repeated(b, at, partLength(b, at)); }
            case 5 -> { return leftOut(b, at, partLength(b, at)); }
            default -> { return inserted(b, at); }
        }
        return b;
    }

    private int partLength(byte[] b, int at) { return 1 + random.nextInt(Math.min(32, b.length - at)); }

    /** b with its bytes [at, at + n) twice. */
    private static byte[] repeated(byte[] b, int at, int n) {
        var o = new ByteArrayOutputStream(b.length + n);
        o.write(b, 0, at + n);
        o.write(b, at, b.length - at);
        return o.toByteArray();
    }

    /** b without its bytes [at, at + n). */
    private static byte[] leftOut(byte[] b, int at, int n) {
        var o = new ByteArrayOutputStream(b.length - n);
        o.write(b, 0, at);
        o.write(b, at + n, b.length - at - n);
        return o.toByteArray();
    }

    /** b with 1 to 16 random bytes inserted at `at`. */
    private byte[] inserted(byte[] b, int at) {
        byte[] junk = new byte[1 + random.nextInt(16)];
        random.nextBytes(junk);
        var o = new ByteArrayOutputStream(b.length + junk.length);
        o.write(b, 0, at);
        o.writeBytes(junk);
        o.write(b, at, b.length - at);
        return o.toByteArray();
    }

    /** Rewrites one field of one record header: version, type, id, content or padding length. */
    private void headerField(byte[] b) {
        var headers = new ArrayList<Integer>();
        for (int at = 0; at + FCGI_HEADER_LEN <= b.length; ) {
            headers.add(at);
            at += FCGI_HEADER_LEN + ((b[at + 4] & 0xff) << 8 | b[at + 5] & 0xff) + (b[at + 6] & 0xff);
        }
        if (headers.isEmpty()) return;
        int h = headers.get(random.nextInt(headers.size()));
        switch (random.nextInt(5)) {
            case 0 -> b[h] = (byte) edgeByte();
            case 1 -> b[h + 1] = (byte) random.nextInt(13);
            case 2 -> putShort(b, h + 2, random.nextBoolean() ? edgeByte() : random.nextInt(5));     // request id
            case 3 -> putShort(b, h + 4, random.nextBoolean() ? 0xffff : random.nextInt(600));   // content length
            default -> b[h + 6] = (byte) edgeByte();
        }
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    private int edgeByte() {
        int[] edges = {0, 1, 7, 8, 0x7f, 0x80, 0xfe, 0xff};
        return random.nextInt(4) == 0 ? random.nextInt(256) : edges[random.nextInt(edges.length)];
    }

    private static byte[] slice(byte[] b, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(b, from, out, 0, out.length);
        return out;
    }

    static String hex(byte[] b) { return HexFormat.of().formatHex(b); }
}

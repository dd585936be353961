package dev.manaknight.fcgi;

import static dev.manaknight.fcgi.FcgiProtocol.*;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds FastCGI byte streams as a web server sends them, and splits replies back into records (tests). */
final class Records {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A record with arbitrary header fields and `padding` zero bytes. */
    Records raw(int version, int type, int id, byte[] content, int padding) {
        out.write(version);
        out.write(type);
        out.write(id >> 8);
        out.write(id & 0xff);
        out.write(content.length >> 8);
        out.write(content.length & 0xff);
        out.write(padding);
        out.write(0);
        out.writeBytes(content);
        out.write(new byte[padding], 0, padding);
        return this;
    }

    Records record(int type, int id, byte[] content) {
        return raw(FCGI_VERSION_1, type, id, content, -content.length & 7);
    }

    Records begin(int id, int role, boolean keep) {
        return record(FCGI_BEGIN_REQUEST, id, beginRequestBody(role, keep ? FCGI_KEEP_CONN : 0));
    }

    Records params(int id, Map<String, String> params) {
        byte[] b = encodePairs(params);
        if (b.length > 0) record(FCGI_PARAMS, id, b);
        return record(FCGI_PARAMS, id, new byte[0]);
    }

    Records stdin(int id, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0) record(FCGI_STDIN, id, b);
        return record(FCGI_STDIN, id, new byte[0]);
    }

    /** BEGIN, params, stdin: a whole request as nginx sends it. */
    Records request(int id, boolean keep, Map<String, String> params, String body) {
        return begin(id, FCGI_RESPONDER, keep).params(id, params).stdin(id, body);
    }

    byte[] bytes() { return out.toByteArray(); }

    static Map<String, String> get(String uri) {
        var m = new LinkedHashMap<String, String>();
        m.put("REQUEST_METHOD", "GET");
        m.put("REQUEST_URI", uri);
        return m;
    }

    /** One record read back: header and content (padding checked and dropped). */
    record Rec(int type, int id, byte[] content, int padding) {
        String text() { return new String(content, StandardCharsets.UTF_8); }
    }

    static List<Rec> parse(byte[] b) {
        var list = new ArrayList<Rec>();
        int at = 0;
        while (at < b.length) {
            Header h = Header.read(b, at);
            if (h.version() != 1) throw new AssertionError("version " + h.version() + " at " + at);
            byte[] c = new byte[h.contentLength()];
            System.arraycopy(b, at + 8, c, 0, c.length);
            list.add(new Rec(h.type(), h.requestId(), c, h.paddingLength()));
            at += 8 + c.length + h.paddingLength();
        }
        if (at != b.length) throw new AssertionError("trailing bytes");
        return list;
    }
}

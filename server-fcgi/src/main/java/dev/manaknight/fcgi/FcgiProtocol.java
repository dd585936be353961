package dev.manaknight.fcgi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The FastCGI 1.0 wire format (fastcgi.com spec, 1996): record types, roles, flags and statuses
 * named as in the spec, the 8-byte record header, name-value pair lengths, and stream output
 * split into records of at most 65535 content bytes padded to a multiple of 8.
 */
public final class FcgiProtocol {
    private FcgiProtocol() {}

    /** FCGI_VERSION_1: the only version there is. */
    public static final int FCGI_VERSION_1 = 1;
    /** FCGI_HEADER_LEN: every record starts with this many bytes. */
    public static final int FCGI_HEADER_LEN = 8;
    /** FCGI_NULL_REQUEST_ID: management records carry request id 0. */
    public static final int FCGI_NULL_REQUEST_ID = 0;
    /** contentLength is a 16-bit field. */
    public static final int MAX_CONTENT = 65535;

    // Record types (spec §8).
    public static final int FCGI_BEGIN_REQUEST = 1;
    public static final int FCGI_ABORT_REQUEST = 2;
    public static final int FCGI_END_REQUEST = 3;
    public static final int FCGI_PARAMS = 4;
    public static final int FCGI_STDIN = 5;
    public static final int FCGI_STDOUT = 6;
    public static final int FCGI_STDERR = 7;
    public static final int FCGI_DATA = 8;
    public static final int FCGI_GET_VALUES = 9;
    public static final int FCGI_GET_VALUES_RESULT = 10;
    public static final int FCGI_UNKNOWN_TYPE = 11;

    /** FCGI_BEGIN_REQUEST flags: keep the connection open after this request. */
    public static final int FCGI_KEEP_CONN = 1;

    // Roles.
    public static final int FCGI_RESPONDER = 1;
    public static final int FCGI_AUTHORIZER = 2;
    public static final int FCGI_FILTER = 3;

    // protocolStatus of FCGI_END_REQUEST.
    public static final int FCGI_REQUEST_COMPLETE = 0;
    public static final int FCGI_CANT_MPX_CONN = 1;
    public static final int FCGI_OVERLOADED = 2;
    public static final int FCGI_UNKNOWN_ROLE = 3;

    // Variable names of FCGI_GET_VALUES.
    public static final String FCGI_MAX_CONNS = "FCGI_MAX_CONNS";
    public static final String FCGI_MAX_REQS = "FCGI_MAX_REQS";
    public static final String FCGI_MPXS_CONNS = "FCGI_MPXS_CONNS";

    /** A name or value of up to 127 bytes takes a 1-byte length; longer ones 4 bytes, high bit set. */
    static final int SHORT_LENGTH_MAX = 127;

    /** The fixed 8-byte header of a record. */
    public record Header(int version, int type, int requestId, int contentLength, int paddingLength) {
        static Header read(byte[] b, int at) {
            return new Header(b[at] & 0xff, b[at + 1] & 0xff, (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff,
                    (b[at + 4] & 0xff) << 8 | b[at + 5] & 0xff, b[at + 6] & 0xff);
        }
    }

    /** Appends one record; content must fit one record. Padding makes the record a multiple of 8 bytes. */
    public static void writeRecord(ByteArrayOutputStream out, int type, int requestId, byte[] content, int off, int len) {
        if (len > MAX_CONTENT) throw new IllegalArgumentException("fcgi: record content of " + len + " bytes");
        int padding = -len & 7;
        out.write(FCGI_VERSION_1);
        out.write(type);
        out.write(requestId >> 8 & 0xff);
        out.write(requestId & 0xff);
        out.write(len >> 8 & 0xff);
        out.write(len & 0xff);
        out.write(padding);
        out.write(0);
        out.write(content, off, len);
        for (int i = 0; i < padding; i++) out.write(0);
    }

    public static void writeRecord(ByteArrayOutputStream out, int type, int requestId, byte[] content) {
        writeRecord(out, type, requestId, content, 0, content.length);
    }

    /**
     * Appends a whole stream (STDOUT, STDERR, STDIN, PARAMS): records of at most 65535 bytes, then
     * the empty record that closes the stream.
     */
    public static void writeStream(ByteArrayOutputStream out, int type, int requestId, byte[] data) {
        for (int off = 0; off < data.length; off += MAX_CONTENT)
            writeRecord(out, type, requestId, data, off, Math.min(MAX_CONTENT, data.length - off));
        writeRecord(out, type, requestId, new byte[0]);
    }

    /** FCGI_EndRequestBody: appStatus (4 bytes), protocolStatus, 3 reserved. */
    public static void writeEndRequest(ByteArrayOutputStream out, int requestId, int appStatus, int protocolStatus) {
        byte[] b = {(byte) (appStatus >>> 24), (byte) (appStatus >>> 16), (byte) (appStatus >>> 8), (byte) appStatus,
                (byte) protocolStatus, 0, 0, 0};
        writeRecord(out, FCGI_END_REQUEST, requestId, b);
    }

    /** FCGI_BeginRequestBody: role (2 bytes), flags, 5 reserved. */
    public static byte[] beginRequestBody(int role, int flags) {
        return new byte[] {(byte) (role >> 8), (byte) role, (byte) flags, 0, 0, 0, 0, 0};
    }

    /** FCGI_UnknownTypeBody: the type, 7 reserved. */
    public static byte[] unknownTypeBody(int type) {
        return new byte[] {(byte) type, 0, 0, 0, 0, 0, 0, 0};
    }

    /** Name-value pairs as PARAMS and GET_VALUES carry them. */
    public static byte[] encodePairs(Map<String, String> pairs) {
        var out = new ByteArrayOutputStream();
        for (var e : pairs.entrySet()) {
            byte[] n = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            writeLength(out, n.length);
            writeLength(out, v.length);
            out.write(n, 0, n.length);
            out.write(v, 0, v.length);
        }
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int n) {
        if (n <= SHORT_LENGTH_MAX) {
            out.write(n);
        } else {
            out.write(n >>> 24 | 0x80);
            out.write(n >>> 16 & 0xff);
            out.write(n >>> 8 & 0xff);
            out.write(n & 0xff);
        }
    }

    /**
     * Decodes name-value pairs (names and values as ISO-8859-1 would lose nothing, but nginx passes
     * UTF-8 URIs raw; they are decoded as UTF-8 with replacement, the path stays percent-encoded).
     * At most `maxPairs`; a later duplicate name replaces the earlier one.
     *
     * @throws FcgiException on a truncated length or pair, or too many pairs
     */
    public static Map<String, String> decodePairs(byte[] b, int len, int maxPairs) throws FcgiException {
        var pairs = new LinkedHashMap<String, String>(64); // nginx sends ~30: no rehash on the way
        int at = 0;
        while (at < len) {
            long n = readLength(b, at, len);
            at = (int) n;
            long v = readLength(b, at, len);
            at = (int) v;
            int nameLength = (int) (n >>> 32), valueLength = (int) (v >>> 32);
            if ((long) nameLength + valueLength > len - at) throw new FcgiException("fcgi: name-value pair longer than its stream");
            if (pairs.size() >= maxPairs) throw new FcgiException("fcgi: more than " + maxPairs + " params");
            String name = new String(b, at, nameLength, StandardCharsets.UTF_8);
            at += nameLength;
            String value = new String(b, at, valueLength, StandardCharsets.UTF_8);
            at += valueLength;
            pairs.put(name, value);
        }
        return pairs;
    }

    /** A length and the offset after it, packed: length in the high 32 bits (31 at most), offset in the low. */
    private static long readLength(byte[] b, int at, int len) throws FcgiException {
        if (at >= len) throw new FcgiException("fcgi: truncated name-value length");
        int first = b[at] & 0xff;
        if ((first & 0x80) == 0) return (long) first << 32 | (at + 1);
        if (at + 4 > len) throw new FcgiException("fcgi: truncated name-value length");
        long n = (long) (first & 0x7f) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
        return n << 32 | (at + 4);
    }
}

package dev.manaknight.fcgi;

import static dev.manaknight.fcgi.FcgiProtocol.*;

import dev.manaknight.runtime.BodyBudget;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One FastCGI transport connection as an explicit state machine: bytes in ({@link #feed}),
 * complete requests, aborts and protocol replies out through a {@link Sink}, responses framed by
 * {@link #end}. No I/O and no threads: the server calls it from the connection's event loop.
 * Any {@link FcgiException} means "close this connection"; nothing here can affect another.
 * The STDIN it buffers is paid for from the server's {@link BodyBudget} as it arrives, and given
 * back when the request ends ({@link #end}, an abort before it ran, {@link #close}).
 */
public final class FcgiConnection {
    /** What the connection hands to the server. */
    public interface Sink {
        /** A responder request with all of its params and stdin: run it, then call {@link #end}. */
        void request(FcgiRequest request);

        /** ABORT_REQUEST for a running request: cancel it; its {@link #end} sends only END_REQUEST. */
        void abort(int requestId);

        /** Bytes the protocol answers by itself (GET_VALUES_RESULT, UNKNOWN_TYPE, rejections). */
        void write(byte[] bytes);
    }

    /** Where the record reader is: which bytes it waits for. */
    private enum ReadState { HEADER, CONTENT, PADDING }

    /** Where one request is (spec §5: BEGIN_REQUEST, PARAMS…, empty PARAMS, STDIN…, empty STDIN). */
    private enum Phase { PARAMS, STDIN, RUNNING, ABORTED, REJECTED }

    private static final class Open {
        Phase phase = Phase.PARAMS;
        final boolean keepConn;
        final StreamBuffer params = new StreamBuffer();
        final StreamBuffer stdin = new StreamBuffer();
        boolean tooLarge;
        boolean overBudget;
        /** Bytes of stdin taken from the body budget. */
        long held;
        int records;

        Open(boolean keepConn) { this.keepConn = keepConn; }
    }

    /** What {@link #end} produced: the bytes to write and whether to close after them. */
    public record Ending(byte[] bytes, boolean close) {}

    private final FcgiLimits limits;
    private final BodyBudget budget;
    private final Sink sink;
    private final Map<Integer, Open> open = new HashMap<>();

    private ReadState state = ReadState.HEADER;
    private final byte[] header = new byte[FCGI_HEADER_LEN];
    private int headerHave;
    private Header current;
    private byte[] content;
    private int contentHave;
    private int paddingLeft;
    private boolean broken;

    /** @param budget the server's body budget, or null for none (tests, benchmarks) */
    public FcgiConnection(FcgiLimits limits, BodyBudget budget, Sink sink) {
        this.limits = limits;
        this.budget = budget;
        this.sink = sink;
    }

    public FcgiConnection(FcgiLimits limits, Sink sink) { this(limits, null, sink); }

    /** The connection is gone: every open request's stdin goes back to the body budget. */
    public void close() {
        for (Open r : open.values()) release(r);
    }

    private void release(Open r) {
        if (budget != null) budget.give(r.held);
        r.held = 0;
    }

    public FcgiLimits limits() { return limits; }

    /** Requests open on this connection (received, running or being rejected). */
    public int openRequests() { return open.size(); }

    /**
     * Consumes bytes; dispatches every record completed by them.
     *
     * @throws FcgiException malformed input: the caller closes the connection and feeds no more
     */
    public void feed(byte[] data, int off, int len) throws FcgiException {
        if (broken) throw new FcgiException("fcgi: connection already failed");
        try {
            int end = off + len;
            while (off < end) {
                switch (state) {
                    case HEADER -> {
                        int n = Math.min(FCGI_HEADER_LEN - headerHave, end - off);
                        System.arraycopy(data, off, header, headerHave, n);
                        headerHave += n;
                        off += n;
                        if (headerHave == FCGI_HEADER_LEN) startRecord();
                    }
                    case CONTENT -> {
                        int n = Math.min(content.length - contentHave, end - off);
                        System.arraycopy(data, off, content, contentHave, n);
                        contentHave += n;
                        off += n;
                        if (contentHave == content.length) afterContent();
                    }
                    case PADDING -> {
                        int n = Math.min(paddingLeft, end - off);
                        paddingLeft -= n;
                        off += n;
                        if (paddingLeft == 0) finishRecord();
                    }
                }
            }
        } catch (FcgiException e) {
            broken = true;
            throw e;
        }
    }

    /** The peer closed its side: true when it did so in the middle of a record. */
    public boolean truncated() { return state != ReadState.HEADER || headerHave > 0; }

    /**
     * Nothing is under way: no request open (its params or stdin still arriving, running, or being
     * rejected) and no byte of a next record read. Only such a connection may be closed as idle.
     */
    public boolean idle() { return open.isEmpty() && !truncated(); }

    private void startRecord() throws FcgiException {
        current = Header.read(header, 0);
        headerHave = 0;
        if (current.version() != FCGI_VERSION_1)
            throw new FcgiException("fcgi: unsupported version " + current.version());
        content = new byte[current.contentLength()];
        contentHave = 0;
        paddingLeft = current.paddingLength();
        state = ReadState.CONTENT;
        if (content.length == 0) afterContent();
    }

    private void afterContent() throws FcgiException {
        state = ReadState.PADDING;
        if (paddingLeft == 0) finishRecord();
    }

    private void finishRecord() throws FcgiException {
        state = ReadState.HEADER;
        Header h = current;
        byte[] c = content;
        current = null;
        content = null;
        dispatch(h, c);
    }

    /** One switch over the record type. */
    private void dispatch(Header h, byte[] c) throws FcgiException {
        int id = h.requestId();
        if (id == FCGI_NULL_REQUEST_ID) {
            management(h, c);
            return;
        }
        switch (h.type()) {
            case FCGI_BEGIN_REQUEST -> begin(id, c);
            case FCGI_ABORT_REQUEST -> {
                Open r = open.get(id);
                // An abort may cross our END_REQUEST on the wire: one for a finished id is harmless.
                if (r == null) return;
                switch (r.phase) {
                    case PARAMS, STDIN, REJECTED -> {
                        release(open.remove(id));
                        var out = new ByteArrayOutputStream(16);
                        writeEndRequest(out, id, 0, FCGI_REQUEST_COMPLETE);
                        sink.write(out.toByteArray());
                    }
                    case RUNNING -> {
                        r.phase = Phase.ABORTED;
                        sink.abort(id);
                    }
                    case ABORTED -> {}
                }
            }
            case FCGI_PARAMS -> {
                Open r = active(h);
                if (r.phase == Phase.REJECTED) return;
                if (r.phase != Phase.PARAMS) throw new FcgiException("fcgi: PARAMS after the params stream ended (request " + id + ")");
                if (c.length == 0) {
                    r.phase = Phase.STDIN;
                    return;
                }
                if (r.params.size() + c.length > limits.maxParamsBytes())
                    throw new FcgiException("fcgi: params of request " + id + " exceed " + limits.maxParamsBytes() + " bytes");
                r.params.add(c);
            }
            case FCGI_STDIN -> {
                Open r = active(h);
                if (r.phase == Phase.REJECTED) {
                    if (c.length == 0) release(open.remove(id));
                    return;
                }
                if (r.phase != Phase.STDIN) throw new FcgiException("fcgi: STDIN " + (r.phase == Phase.PARAMS
                        ? "before the params stream ended" : "after the stdin stream ended") + " (request " + id + ")");
                if (c.length == 0) {
                    r.phase = Phase.RUNNING;
                    Map<String, String> params = decodePairs(r.params.toByteArray(), r.params.size(), limits.maxParams());
                    byte[] body = r.tooLarge || r.overBudget ? new byte[0] : r.stdin.toByteArray();
                    r.stdin.reset(); // the request holds its body now; its bytes stay taken until end()
                    sink.request(new FcgiRequest(id, params, body, r.keepConn, r.tooLarge, r.overBudget));
                    return;
                }
                if (r.tooLarge || r.stdin.size() + (long) c.length > limits.maxStdinBytes()) {
                    r.tooLarge = true; // read and dropped: the answer is a 413, the connection lives
                    r.stdin.reset();
                    release(r);
                } else if (r.overBudget || budget != null && !budget.take(c.length)) {
                    r.overBudget = true; // read and dropped: the answer is a 503, the connection lives
                    r.stdin.reset();
                    release(r);
                } else {
                    r.held += c.length;
                    r.stdin.add(c);
                }
            }
            case FCGI_DATA -> {
                Open r = active(h);
                if (r.phase != Phase.REJECTED) throw new FcgiException("fcgi: DATA for a responder request (" + id + ")");
            }
            case FCGI_END_REQUEST, FCGI_STDOUT, FCGI_STDERR, FCGI_GET_VALUES, FCGI_GET_VALUES_RESULT, FCGI_UNKNOWN_TYPE ->
                    throw new FcgiException("fcgi: record type " + h.type() + " is not sent to an application (request " + id + ")");
            default -> throw new FcgiException("fcgi: unknown record type " + h.type() + " for request " + id);
        }
    }

    /** The open request a stream record belongs to, counting its records. */
    private Open active(Header h) throws FcgiException {
        Open r = open.get(h.requestId());
        if (r == null || r.phase == Phase.RUNNING || r.phase == Phase.ABORTED)
            throw new FcgiException("fcgi: record type " + h.type() + " for " + (r == null ? "unknown" : "running")
                    + " request " + h.requestId());
        if (++r.records > limits.maxRecordsPerRequest())
            throw new FcgiException("fcgi: request " + h.requestId() + " sent more than " + limits.maxRecordsPerRequest() + " records");
        return r;
    }

    private void begin(int id, byte[] c) throws FcgiException {
        if (c.length != 8) throw new FcgiException("fcgi: BEGIN_REQUEST body of " + c.length + " bytes, not 8");
        Open existing = open.get(id);
        if (existing != null && existing.phase != Phase.REJECTED)
            throw new FcgiException("fcgi: BEGIN_REQUEST for request " + id + ", which is already open");
        if (existing == null && open.size() >= limits.maxRequestsPerConnection())
            throw new FcgiException("fcgi: more than " + limits.maxRequestsPerConnection() + " requests open on one connection");
        int role = (c[0] & 0xff) << 8 | c[1] & 0xff;
        boolean keep = (c[2] & FCGI_KEEP_CONN) != 0;
        var r = new Open(keep);
        open.put(id, r);
        if (role != FCGI_RESPONDER) {
            // Spec §5.1: a role the application does not play is refused with FCGI_UNKNOWN_ROLE; the
            // records the web server may already have sent for it are read and dropped.
            r.phase = Phase.REJECTED;
            var out = new ByteArrayOutputStream(16);
            writeEndRequest(out, id, 0, FCGI_UNKNOWN_ROLE);
            sink.write(out.toByteArray());
        }
    }

    /** Records with request id 0 (spec §4). */
    private void management(Header h, byte[] c) throws FcgiException {
        var out = new ByteArrayOutputStream(64);
        switch (h.type()) {
            case FCGI_GET_VALUES -> {
                var asked = decodePairs(c, c.length, limits.maxParams());
                var answer = new LinkedHashMap<String, String>();
                // Spec §4.1: the application answers the names it knows and ignores the rest.
                for (String name : asked.keySet()) {
                    switch (name) {
                        case FCGI_MAX_CONNS -> answer.put(name, Integer.toString(limits.maxConns()));
                        case FCGI_MAX_REQS -> answer.put(name, Integer.toString(limits.maxReqs()));
                        case FCGI_MPXS_CONNS -> answer.put(name, "1");
                        default -> {}
                    }
                }
                byte[] body = encodePairs(answer);
                if (body.length > MAX_CONTENT) throw new FcgiException("fcgi: GET_VALUES answer too long");
                writeRecord(out, FCGI_GET_VALUES_RESULT, FCGI_NULL_REQUEST_ID, body);
            }
            case FCGI_BEGIN_REQUEST, FCGI_ABORT_REQUEST, FCGI_END_REQUEST, FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT,
                 FCGI_STDERR, FCGI_DATA, FCGI_GET_VALUES_RESULT, FCGI_UNKNOWN_TYPE ->
                    throw new FcgiException("fcgi: record type " + h.type() + " with the null request id");
            // Spec §4.2: an unknown management record is answered FCGI_UNKNOWN_TYPE.
            default -> writeRecord(out, FCGI_UNKNOWN_TYPE, FCGI_NULL_REQUEST_ID, unknownTypeBody(h.type()));
        }
        sink.write(out.toByteArray());
    }

    /**
     * Frames the application's answer to a request: its STDOUT stream (dropped when the request was
     * aborted) and END_REQUEST. `close` is true when the request did not ask FCGI_KEEP_CONN.
     */
    public Ending end(int requestId, byte[] stdout, int appStatus, int protocolStatus) {
        Open r = open.remove(requestId);
        if (r == null) throw new IllegalStateException("fcgi: request " + requestId + " is not running");
        release(r);
        var out = new ByteArrayOutputStream(stdout.length + stdout.length / MAX_CONTENT * 8 + 40);
        if (r.phase != Phase.ABORTED) writeStream(out, FCGI_STDOUT, requestId, stdout);
        writeEndRequest(out, requestId, appStatus, protocolStatus);
        return new Ending(out.toByteArray(), !r.keepConn);
    }
}

package dev.manaknight.fcgi;

import static dev.manaknight.fcgi.FcgiProtocol.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decoder over raw bytes, no sockets: every record type, every malformation. */
class FcgiConnectionTest {
    static final FcgiLimits LIMITS = new FcgiLimits(1024, 16, 100, 64, 4, 77, 9);

    /** Records what the connection hands out. */
    static final class Capture implements FcgiConnection.Sink {
        final List<FcgiRequest> requests = new ArrayList<>();
        final List<Integer> aborts = new ArrayList<>();
        final List<Records.Rec> written = new ArrayList<>();

        @Override public void request(FcgiRequest r) { requests.add(r); }

        @Override public void abort(int id) { aborts.add(id); }

        @Override public void write(byte[] bytes) { written.addAll(Records.parse(bytes)); }
    }

    private final Capture sink = new Capture();
    private final FcgiConnection conn = new FcgiConnection(LIMITS, sink);

    private void feed(Records r) throws FcgiException {
        byte[] b = r.bytes();
        conn.feed(b, 0, b.length);
    }

    @Test void aResponderRequestArrivesWhole() throws Exception {
        var params = Records.get("/users/1?x=2");
        params.put("HTTP_ACCEPT", "application/json");
        feed(new Records().request(1, false, params, "hello"));
        assertEquals(1, sink.requests.size());
        FcgiRequest r = sink.requests.getFirst();
        assertEquals(1, r.id());
        assertEquals(params, r.params());
        assertEquals(List.copyOf(params.keySet()), List.copyOf(r.params().keySet()), "arrival order kept");
        assertEquals("hello", new String(r.stdin(), StandardCharsets.UTF_8));
        assertFalse(r.keepConn());
        assertFalse(r.stdinTooLarge());
        assertTrue(sink.written.isEmpty());
    }

    /** Issue 12: stdin is paid from the server's body budget as it arrives, and given back at every end. */
    @Test void stdinIsPaidFromTheBodyBudgetAndGivenBack() throws Exception {
        var budget = new dev.manaknight.runtime.BodyBudget(100);
        var c = new FcgiConnection(LIMITS, budget, sink);
        byte[] first = new Records().request(1, true, Records.get("/a"), "x".repeat(60)).bytes();
        c.feed(first, 0, first.length);
        assertEquals(60, budget.held(), "held while the request runs");
        byte[] exact = new Records().request(2, true, Records.get("/b"), "y".repeat(40)).bytes();
        c.feed(exact, 0, exact.length);
        assertEquals(100, budget.held(), "exactly at the budget");
        assertFalse(sink.requests.get(1).overBudget());
        byte[] past = new Records().request(3, true, Records.get("/c"), "z").bytes();
        c.feed(past, 0, past.length);
        FcgiRequest refused = sink.requests.get(2);
        assertTrue(refused.overBudget(), "one byte past the budget");
        assertEquals(0, refused.stdin().length, "its stdin was dropped, not buffered");
        assertEquals(100, budget.held());
        c.end(3, new byte[0], 0, FCGI_OVERLOADED);
        c.end(1, new byte[0], 0, FCGI_REQUEST_COMPLETE);
        assertEquals(40, budget.held(), "an answered request gives its bytes back");
        byte[] half = new Records().begin(4, FCGI_RESPONDER, true).params(4, Records.get("/d"))
                .record(FCGI_STDIN, 4, "w".repeat(30).getBytes(StandardCharsets.UTF_8)).bytes();
        c.feed(half, 0, half.length);
        assertEquals(70, budget.held(), "paid as it arrives, before the stdin ends");
        c.close();
        assertEquals(0, budget.held(), "a closed connection gives everything back");
    }

    @Test void byteByByteIsTheSameAsAllAtOnce() throws Exception {
        byte[] b = new Records().request(3, true, Records.get("/a"), "x".repeat(50)).bytes();
        for (int i = 0; i < b.length; i++) conn.feed(b, i, 1);
        assertEquals(1, sink.requests.size());
        assertEquals("x".repeat(50), new String(sink.requests.getFirst().stdin(), StandardCharsets.UTF_8));
        assertTrue(sink.requests.getFirst().keepConn());
        assertFalse(conn.truncated());
    }

    @Test void paddingOnInputIsSkipped() throws Exception {
        byte[] params = encodePairs(Records.get("/p"));
        feed(new Records().begin(1, FCGI_RESPONDER, true).raw(1, FCGI_PARAMS, 1, params, 255)
                .raw(1, FCGI_PARAMS, 1, new byte[0], 3).raw(1, FCGI_STDIN, 1, new byte[0], 0));
        assertEquals("/p", sink.requests.getFirst().params().get("REQUEST_URI"));
    }

    @Test void keepConnDecidesWhetherTheConnectionCloses() throws Exception {
        feed(new Records().request(1, true, Records.get("/"), "").request(2, false, Records.get("/"), ""));
        assertFalse(conn.end(1, new byte[0], 0, FCGI_REQUEST_COMPLETE).close());
        assertTrue(conn.end(2, new byte[0], 0, FCGI_REQUEST_COMPLETE).close());
    }

    @Test void multiplexedRequestsAreKeptApart() throws Exception {
        var p1 = Records.get("/one");
        var p2 = Records.get("/two");
        feed(new Records().begin(1, FCGI_RESPONDER, true).begin(2, FCGI_RESPONDER, true)
                .params(2, p2).params(1, p1)
                .record(FCGI_STDIN, 1, "a1".getBytes()).record(FCGI_STDIN, 2, "b2".getBytes())
                .record(FCGI_STDIN, 2, new byte[0]).record(FCGI_STDIN, 1, new byte[0]));
        assertEquals(2, sink.requests.size());
        assertEquals(2, sink.requests.get(0).id());
        assertEquals("/two", sink.requests.get(0).params().get("REQUEST_URI"));
        assertEquals("b2", new String(sink.requests.get(0).stdin()));
        assertEquals("/one", sink.requests.get(1).params().get("REQUEST_URI"));
        assertEquals("a1", new String(sink.requests.get(1).stdin()));
        // Answers may go out in any order.
        var e1 = Records.parse(conn.end(1, "one".getBytes(), 0, FCGI_REQUEST_COMPLETE).bytes());
        assertTrue(e1.stream().allMatch(r -> r.id() == 1));
        assertEquals(1, conn.openRequests());
    }

    @Test void responseIsStdoutThenEndRequest() throws Exception {
        feed(new Records().request(5, true, Records.get("/"), ""));
        var recs = Records.parse(conn.end(5, "Status: 200 OK\r\n\r\nhi".getBytes(), 0, FCGI_REQUEST_COMPLETE).bytes());
        assertEquals(3, recs.size());
        assertEquals(FCGI_STDOUT, recs.get(0).type());
        assertEquals("Status: 200 OK\r\n\r\nhi", recs.get(0).text());
        assertEquals(FCGI_STDOUT, recs.get(1).type());
        assertEquals(0, recs.get(1).content().length, "the empty STDOUT closes the stream");
        assertEquals(FCGI_END_REQUEST, recs.get(2).type());
        assertArrayEquals(new byte[] {0, 0, 0, 0, FCGI_REQUEST_COMPLETE, 0, 0, 0}, recs.get(2).content());
        assertThrows(IllegalStateException.class, () -> conn.end(5, new byte[0], 0, 0), "ended once");
    }

    @Test void outputIsSplitAt65535WithPaddingTo8() throws Exception {
        feed(new Records().request(1, true, Records.get("/"), ""));
        byte[] big = new byte[2 * MAX_CONTENT + 10];
        Arrays.fill(big, (byte) 'z');
        byte[] wire = conn.end(1, big, 0, FCGI_REQUEST_COMPLETE).bytes();
        var recs = Records.parse(wire);
        assertEquals(List.of(MAX_CONTENT, MAX_CONTENT, 10, 0, 8), recs.stream().map(r -> r.content().length).toList());
        assertEquals(List.of(1, 1, 6, 0, 0), recs.stream().map(Records.Rec::padding).toList());
        assertEquals(0, wire.length % 8, "every record is a multiple of 8 bytes");
    }

    @Test void overloadedAndAppStatusAreInEndRequest() throws Exception {
        feed(new Records().request(1, true, Records.get("/"), ""));
        var recs = Records.parse(conn.end(1, new byte[0], 0x01020304, FCGI_OVERLOADED).bytes());
        assertArrayEquals(new byte[] {1, 2, 3, 4, FCGI_OVERLOADED, 0, 0, 0}, recs.getLast().content());
    }

    @Test void rolesOtherThanResponderAreRefusedAndTheirRecordsDropped() throws Exception {
        for (int role : new int[] {FCGI_AUTHORIZER, FCGI_FILTER, 0, 99}) {
            sink.written.clear();
            feed(new Records().begin(7, role, true).params(7, Records.get("/")).record(FCGI_DATA, 7, "d".getBytes())
                    .stdin(7, "body"));
            assertTrue(sink.requests.isEmpty(), "role " + role);
            assertEquals(1, sink.written.size());
            assertEquals(FCGI_END_REQUEST, sink.written.getFirst().type());
            assertEquals(7, sink.written.getFirst().id());
            assertEquals(FCGI_UNKNOWN_ROLE, sink.written.getFirst().content()[4]);
            assertEquals(0, conn.openRequests(), "the empty STDIN ends the refused request");
        }
        // The id can be used again at once, even before the refused request's stdin ended.
        feed(new Records().begin(8, FCGI_FILTER, true).request(8, true, Records.get("/ok"), ""));
        assertEquals("/ok", sink.requests.getFirst().params().get("REQUEST_URI"));
    }

    @Test void getValuesIsAnsweredWithOurLimits() throws Exception {
        var asked = new LinkedHashMap<String, String>();
        asked.put(FCGI_MAX_CONNS, "");
        asked.put("SOMETHING_ELSE", "");
        asked.put(FCGI_MAX_REQS, "");
        asked.put(FCGI_MPXS_CONNS, "");
        feed(new Records().record(FCGI_GET_VALUES, 0, encodePairs(asked)));
        assertEquals(1, sink.written.size());
        var rec = sink.written.getFirst();
        assertEquals(FCGI_GET_VALUES_RESULT, rec.type());
        assertEquals(0, rec.id());
        var answer = decodePairs(rec.content(), rec.content().length, 10);
        assertEquals(Map.of(FCGI_MAX_CONNS, "77", FCGI_MAX_REQS, "9", FCGI_MPXS_CONNS, "1"), answer);
        assertEquals(List.of(FCGI_MAX_CONNS, FCGI_MAX_REQS, FCGI_MPXS_CONNS), List.copyOf(answer.keySet()));
    }

    @Test void unknownManagementRecordsGetUnknownType() throws Exception {
        feed(new Records().record(42, 0, "??".getBytes()).record(200, 0, new byte[0]));
        assertEquals(2, sink.written.size());
        assertEquals(FCGI_UNKNOWN_TYPE, sink.written.get(0).type());
        assertArrayEquals(new byte[] {42, 0, 0, 0, 0, 0, 0, 0}, sink.written.get(0).content());
        assertEquals((byte) 200, sink.written.get(1).content()[0]);
    }

    @Test void abortBeforeTheRequestRunsEndsItAtOnce() throws Exception {
        feed(new Records().begin(4, FCGI_RESPONDER, true).params(4, Records.get("/")).record(FCGI_ABORT_REQUEST, 4, new byte[0]));
        assertTrue(sink.requests.isEmpty());
        assertTrue(sink.aborts.isEmpty());
        assertEquals(FCGI_END_REQUEST, sink.written.getFirst().type());
        assertEquals(0, conn.openRequests());
    }

    @Test void abortOfARunningRequestCancelsItAndDropsItsStdout() throws Exception {
        feed(new Records().request(4, true, Records.get("/"), "").record(FCGI_ABORT_REQUEST, 4, new byte[0])
                .record(FCGI_ABORT_REQUEST, 4, new byte[0]));
        assertEquals(List.of(4), sink.aborts, "a second abort is not a second cancel");
        var recs = Records.parse(conn.end(4, "Status: 500\r\n\r\n".getBytes(), 0, FCGI_REQUEST_COMPLETE).bytes());
        assertEquals(List.of(FCGI_END_REQUEST), recs.stream().map(Records.Rec::type).toList());
    }

    @Test void abortOfAFinishedRequestIsIgnored() throws Exception {
        feed(new Records().request(4, true, Records.get("/"), ""));
        conn.end(4, new byte[0], 0, FCGI_REQUEST_COMPLETE);
        feed(new Records().record(FCGI_ABORT_REQUEST, 4, new byte[0]));
        assertTrue(sink.aborts.isEmpty());
        assertTrue(sink.written.isEmpty());
    }

    @Test void aBodyOverTheLimitIsReadAndFlaggedNotKept() throws Exception {
        feed(new Records().request(1, true, Records.get("/"), "x".repeat(101)).request(2, true, Records.get("/"), "x".repeat(100)));
        assertTrue(sink.requests.get(0).stdinTooLarge());
        assertEquals(0, sink.requests.get(0).stdin().length);
        assertFalse(sink.requests.get(1).stdinTooLarge());
        assertEquals(100, sink.requests.get(1).stdin().length);
    }

    // Each limit of LIMITS met exactly is accepted; `malformed()` below exceeds each by one.

    @Test void paramsOfExactlyTheByteLimitAreAccepted() throws Exception {
        var pair = new LinkedHashMap<String, String>();
        pair.put("A", "v".repeat(1018)); // 1 + 4 length bytes, 1 + 1018 bytes of name and value: 1024
        assertEquals(LIMITS.maxParamsBytes(), encodePairs(pair).length);
        feed(new Records().request(1, true, pair, ""));
        assertEquals(pair, sink.requests.getFirst().params());
    }

    @Test void exactlyTheParamCountLimitIsAccepted() throws Exception {
        var params = new LinkedHashMap<String, String>();
        for (int i = 0; i < LIMITS.maxParams(); i++) params.put("P" + i, "v");
        feed(new Records().request(1, true, params, ""));
        assertEquals(LIMITS.maxParams(), sink.requests.getFirst().params().size());
    }

    @Test void exactlyTheRecordLimitIsAccepted() throws Exception {
        var records = new Records().begin(1, FCGI_RESPONDER, true);
        for (int i = 0; i < LIMITS.maxRecordsPerRequest() - 2; i++) records.record(FCGI_PARAMS, 1, new byte[] {1, 1, 'a', 'b'});
        feed(records.params(1, Map.of()).stdin(1, "")); // the two empty records that end the streams: 64 in all
        assertEquals(Map.of("a", "b"), sink.requests.getFirst().params());
    }

    @Test void exactlyTheOpenRequestLimitIsAccepted() throws Exception {
        var records = new Records();
        for (int id = 1; id <= LIMITS.maxRequestsPerConnection(); id++) records.begin(id, FCGI_RESPONDER, true);
        feed(records);
        assertEquals(LIMITS.maxRequestsPerConnection(), conn.openRequests());
    }

    @Test void aTruncatedHeaderWaitsAndIsReportedAtEof() throws Exception {
        byte[] b = new Records().begin(1, FCGI_RESPONDER, true).bytes();
        conn.feed(b, 0, 5);
        assertTrue(conn.truncated());
        conn.feed(b, 5, b.length - 5);
        assertFalse(conn.truncated());
        assertEquals(1, conn.openRequests());
    }

    static Stream<Arguments> malformed() {
        byte[] long4 = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 'a', 'b'};
        var many = new LinkedHashMap<String, String>();
        for (int i = 0; i < 17; i++) many.put("P" + i, "v");
        var records = new Records().begin(1, FCGI_RESPONDER, true);
        for (int i = 0; i <= 64; i++) records.record(FCGI_PARAMS, 1, new byte[] {1, 1, 'a', 'b'});
        return Stream.of(
                Arguments.of("bad version", new Records().raw(2, FCGI_BEGIN_REQUEST, 1, beginRequestBody(1, 0), 0), "unsupported version 2"),
                Arguments.of("version 0", new Records().raw(0, FCGI_GET_VALUES, 0, new byte[0], 0), "unsupported version 0"),
                Arguments.of("short BEGIN body", new Records().record(FCGI_BEGIN_REQUEST, 1, new byte[7]), "BEGIN_REQUEST body of 7"),
                Arguments.of("duplicate BEGIN", new Records().begin(1, FCGI_RESPONDER, true).begin(1, FCGI_RESPONDER, true), "already open"),
                Arguments.of("BEGIN of a running request", new Records().request(1, true, Records.get("/"), "").begin(1, FCGI_RESPONDER, true), "already open"),
                Arguments.of("BEGIN with the null id", new Records().begin(0, FCGI_RESPONDER, true), "null request id"),
                Arguments.of("PARAMS for an unknown id", new Records().params(3, Records.get("/")), "unknown request 3"),
                Arguments.of("STDIN for an unknown id", new Records().stdin(3, ""), "unknown request 3"),
                Arguments.of("DATA for an unknown id", new Records().record(FCGI_DATA, 3, new byte[0]), "unknown request 3"),
                Arguments.of("STDIN for a running request", new Records().request(1, true, Records.get("/"), "").stdin(1, "x"), "running request 1"),
                Arguments.of("STDIN before params end", new Records().begin(1, FCGI_RESPONDER, true).stdin(1, "x"), "before the params stream ended"),
                Arguments.of("PARAMS after params end", new Records().begin(1, FCGI_RESPONDER, true).params(1, Map.of()).params(1, Map.of()), "after the params stream ended"),
                Arguments.of("DATA for a responder", new Records().begin(1, FCGI_RESPONDER, true).record(FCGI_DATA, 1, new byte[1]), "DATA for a responder"),
                Arguments.of("params over the byte limit", new Records().begin(1, FCGI_RESPONDER, true)
                        .record(FCGI_PARAMS, 1, new byte[1000]).record(FCGI_PARAMS, 1, new byte[30]), "exceed 1024 bytes"),
                Arguments.of("params over the count limit", new Records().request(1, true, many, ""), "more than 16 params"),
                Arguments.of("name-value length past the stream", new Records().begin(1, FCGI_RESPONDER, true)
                        .record(FCGI_PARAMS, 1, long4).params(1, Map.of()).stdin(1, ""), "longer than its stream"),
                Arguments.of("truncated 4-byte length", new Records().begin(1, FCGI_RESPONDER, true)
                        .record(FCGI_PARAMS, 1, new byte[] {(byte) 0x80, 0}).params(1, Map.of()).stdin(1, ""), "truncated name-value length"),
                Arguments.of("truncated value", new Records().begin(1, FCGI_RESPONDER, true)
                        .record(FCGI_PARAMS, 1, new byte[] {1, 5, 'a', 'b'}).params(1, Map.of()).stdin(1, ""), "longer than its stream"),
                Arguments.of("STDOUT sent to the application", new Records().record(FCGI_STDOUT, 1, new byte[0]), "not sent to an application"),
                Arguments.of("END_REQUEST sent to the application", new Records().record(FCGI_END_REQUEST, 1, new byte[8]), "not sent to an application"),
                Arguments.of("GET_VALUES_RESULT as management", new Records().record(FCGI_GET_VALUES_RESULT, 0, new byte[0]), "null request id"),
                Arguments.of("unknown type for a request", new Records().record(42, 1, new byte[0]), "unknown record type 42"),
                Arguments.of("too many open requests", new Records().begin(1, 1, true).begin(2, 1, true).begin(3, 1, true)
                        .begin(4, 1, true).begin(5, 1, true), "more than 4 requests open"),
                Arguments.of("too many records", records, "more than 64 records"),
                Arguments.of("GET_VALUES with a bad pair", new Records().record(FCGI_GET_VALUES, 0, new byte[] {9}), "truncated name-value length"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputFailsTheConnection(String name, Records input, String message) {
        byte[] b = input.bytes();
        var e = assertThrows(FcgiException.class, () -> conn.feed(b, 0, b.length));
        assertTrue(e.getMessage().startsWith("fcgi: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        var again = assertThrows(FcgiException.class, () -> conn.feed(new byte[8], 0, 8));
        assertTrue(again.getMessage().startsWith("fcgi: "));
    }

    @Test void pairsRoundTripWithBothLengthForms() throws Exception {
        var pairs = new LinkedHashMap<String, String>();
        pairs.put("A", "");
        pairs.put("N".repeat(127), "v".repeat(128));
        pairs.put("HTTP_X", "ü");
        byte[] b = encodePairs(pairs);
        assertEquals(127, b[pairs.keySet().iterator().next().length() + 2] & 0xff, "127 bytes: one-byte length");
        assertEquals(pairs, decodePairs(b, b.length, 10));
    }
}

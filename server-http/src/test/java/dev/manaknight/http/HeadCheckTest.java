package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Strict HTTP/1.1 request heads (issue 12, "Protocol edges"), table-driven over raw bytes through
 * `serve`'s real pipeline on an EmbeddedChannel. Each refused head gets its problem document, an
 * `X-Request-Id`, an access-log line and `Connection: close`, and the connection closes after it;
 * each accepted one is served and the connection stays open.
 */
class HeadCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeApp app;

    @BeforeEach void open() throws Exception { app = FakeApp.open(4, 64); }

    @AfterEach void close() { app.close(); }

    /** A raw request head; `H` is a valid Host line. */
    private record Row(String name, String request, int status, String pointer) {}

    private static final String H = "Host: x\r\n";

    private static Row refused(String name, String line, String headers, int status, String pointer) {
        return new Row(name, line + "\r\n" + headers + "\r\n", status, pointer);
    }

    private static Row served(String name, String line, String headers) {
        return new Row(name, line + "\r\n" + headers + "\r\n", 200, null);
    }

    private static final List<Row> ROWS = List.of(
            // the target: raw non-ASCII (read as Latin-1), controls and DEL, in the path and in the query
            refused("raw 0xff 0xfe in the path", "GET /names/\u00ff\u00fe HTTP/1.1", H, 400, "/path"),
            refused("raw UTF-8 in the path", "GET /names/\u00c3\u00a9 HTTP/1.1", H, 400, "/path"),
            refused("raw NUL in the path", "GET /names/a\u0000b HTTP/1.1", H, 400, "/path"),
            refused("raw 0x01 in the path", "GET /names/\u0001 HTTP/1.1", H, 400, "/path"),
            refused("raw 0x1f in the path", "GET /names/\u001f HTTP/1.1", H, 400, "/path"),
            refused("raw DEL in the path", "GET /names/\u007f HTTP/1.1", H, 400, "/path"),
            refused("raw NUL in the query", "GET /hello?a=\u0000 HTTP/1.1", H, 400, "/query"),
            refused("raw 0xe9 in the query of a missing route", "GET /nope?a=\u00e9 HTTP/1.1", H, 400, "/query"),
            served("percent-encoded UTF-8", "GET /names/%C3%A9 HTTP/1.1", H),
            served("visible ASCII at both ends", "GET /names/!~ HTTP/1.1", H),
            // header names (tokens) and values (no control but HTAB; obs-text allowed)
            refused("NUL in a value", "GET /hello HTTP/1.1", H + "X-A: a\u0000b\r\n", 400, "/header/X-A"),
            refused("0x01 in a value", "GET /hello HTTP/1.1", H + "X-A: a\u0001b\r\n", 400, "/header/X-A"),
            refused("VT in a value", "GET /hello HTTP/1.1", H + "X-A: a\u000bb\r\n", 400, "/header/X-A"),
            refused("0x1f in a value", "GET /hello HTTP/1.1", H + "X-A: a\u001fb\r\n", 400, "/header/X-A"),
            refused("DEL in a value", "GET /hello HTTP/1.1", H + "X-A: a\u007fb\r\n", 400, "/header/X-A"),
            refused("NUL in the Host value", "GET /hello HTTP/1.1", "Host: x\u0000y\r\n", 400, "/header/Host"),
            served("HTAB in a value", "GET /hello HTTP/1.1", H + "X-A: a\tb\r\n"),
            served("obs-text in a value", "GET /hello HTTP/1.1", H + "X-A: caf\u00e9\r\n"),
            refused("0x01 in a name", "GET /hello HTTP/1.1", H + "X\u0001A: b\r\n", 400, "/header"),
            refused("NUL in a name", "GET /hello HTTP/1.1", H + "X\u0000A: b\r\n", 400, "/header"),
            refused("DEL in a name", "GET /hello HTTP/1.1", H + "X\u007fA: b\r\n", 400, "/header"),
            refused("non-ASCII in a name", "GET /hello HTTP/1.1", H + "X\u00ffA: b\r\n", 400, "/header"),
            refused("a space in a name", "GET /hello HTTP/1.1", H + "X A: b\r\n", 400, "/header"),
            refused("a space before the colon", "GET /hello HTTP/1.1", H + "X-A : b\r\n", 400, "/header"),
            // versions: HTTP/1.x only
            refused("HTTP/9.9", "GET /hello HTTP/9.9", H, 505, null),
            refused("HTTP/2.0 in an HTTP/1 request line", "GET /hello HTTP/2.0", H, 505, null),
            refused("HTTP/0.9", "GET /hello HTTP/0.9", H, 505, null),
            refused("HTTP/3.0", "GET /hello HTTP/3.0", H, 505, null),
            served("HTTP/1.2 is read as HTTP/1.1", "GET /hello HTTP/1.2", H),
            // Host
            refused("no Host on HTTP/1.1", "GET /hello HTTP/1.1", "", 400, "/header/Host"),
            refused("two Hosts", "GET /hello HTTP/1.1", H + "Host: y\r\n", 400, "/header/Host"),
            refused("two Hosts on HTTP/1.0", "GET /hello HTTP/1.0", H + "Host: y\r\n", 400, "/header/Host"),
            refused("a Host with a space", "GET /hello HTTP/1.1", "Host: a b\r\n", 400, "/header/Host"),
            refused("a Host with a slash", "GET /hello HTTP/1.1", "Host: a/b\r\n", 400, "/header/Host"),
            refused("a Host with a bad port", "GET /hello HTTP/1.1", "Host: a:8x\r\n", 400, "/header/Host"),
            refused("an unclosed IPv6 Host", "GET /hello HTTP/1.1", "Host: [::1\r\n", 400, "/header/Host"),
            served("a Host with a port", "GET /hello HTTP/1.1", "Host: example.com:8080\r\n"),
            served("an IPv6 Host with a port", "GET /hello HTTP/1.1", "Host: [::1]:80\r\n"),
            served("an empty Host", "GET /hello HTTP/1.1", "Host:\r\n"),
            served("HTTP/1.0 without Host", "GET /hello HTTP/1.0", "Connection: keep-alive\r\n"),
            // a refused head's body is never read, so the body budget does not answer it first
            refused("HTTP/9.9 with a body past the budget", "POST /json HTTP/9.9",
                    H + "Content-Type: application/json\r\nContent-Length: " + (Wire.BODY_BUDGET + 1) + "\r\n", 505, null),
            refused("no Host, a chunked body", "POST /json HTTP/1.1", "Transfer-Encoding: chunked\r\n", 400, "/header/Host"),
            // Expect: only 100-continue (RFC 9110 §10.1.1), and only from HTTP/1.1 on
            refused("an Expect other than 100-continue", "GET /hello HTTP/1.1", H + "Expect: teapot\r\n", 417, null),
            served("Expect on HTTP/1.0 is ignored", "GET /hello HTTP/1.0", "Connection: keep-alive\r\nExpect: teapot\r\n"),
            // what the decoder itself cannot read stays a 400
            refused("a space inside the target", "GET /a b HTTP/1.1", H, 400, null));

    /** Every row is tried; the failures are reported together, one line each. */
    @Test void eachHeadIsServedOrRefusedAndClosed() throws Exception {
        var wrong = new ArrayList<String>();
        for (Row row : ROWS) {
            String why = check(row);
            if (why != null) wrong.add(row.name + ": " + why);
        }
        assertEquals("", String.join("\n", wrong));
    }

    /** What is wrong with the answer to one row, or null. */
    private String check(Row row) throws Exception {
        var wire = new Wire(app);
        int logged = app.log.size();
        Wire.Response r = wire.send(row.request).next();
        if (r.status() != row.status) return "status " + r.status() + ", " + r.body();
        if (r.header("X-Request-Id") == null) return "no X-Request-Id";
        if (app.log.size() != logged + 1 || app.log.getLast().status() != row.status) return "no access-log line";
        if (row.status == 200)
            return r.header("Connection") == null && wire.channel().isOpen() ? null : "the connection was not kept";
        if (!"application/problem+json".equals(r.header("Content-Type"))) return "not a problem document";
        if (!"close".equals(r.header("Connection")) || !wire.closedWithNothingMore()) return "not closed after the refusal";
        JsonNode p = JSON.readTree(r.body());
        if (row.pointer != null) {
            if (!p.get("type").asText().equals("https://manaknight.dev/problems/invalid-request")) return "type " + p.get("type");
            if (!p.get("errors").get(0).get("pointer").asText().equals(row.pointer)) return "pointer: " + r.body();
        } else if (row.status == 505 && !p.get("type").asText().endsWith("/http-version-not-supported")
                || row.status == 417 && !p.get("type").asText().endsWith("/expectation-failed")) {
            return "type " + p.get("type");
        }
        return null;
    }

    /** A refused head ends the connection, but the requests pipelined before it are answered first, in order. */
    @Test void aRefusalIsAnsweredInItsTurnAndNothingAfterItRuns() {
        var wire = new Wire(app);
        long runs = app.runs.get();
        wire.send("GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /items/2 HTTP/1.1\r\n\r\n"
                + "GET /items/3 HTTP/1.1\r\nHost: x\r\n\r\n");
        Wire.Response first = wire.next();
        assertEquals(200, first.status());
        assertEquals("1", first.body());
        Wire.Response second = wire.next();
        assertEquals(400, second.status());
        assertTrue(second.body().contains("\"pointer\":\"/header/Host\""), second.body());
        assertTrue(wire.closedWithNothingMore());
        assertEquals(runs + 1, app.runs.get(), "the request after the refused one never ran");
    }

    /** RFC 9112 §6.1: Transfer-Encoding beside Content-Length may be request smuggling: 400, then close. */
    @Test void transferEncodingWithContentLengthIsRefusedAndClosed() {
        var wire = new Wire(app);
        Wire.Response r = wire.send("POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n2\r\n{}\r\n0\r\n\r\n").next();
        assertEquals(400, r.status(), r.body());
        assertEquals("close", r.header("Connection"));
        assertTrue(wire.closedWithNothingMore());
    }
}

package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The protocol edges of issue 12 over real sockets: each attack as raw bytes on a connection of
 * its own, against `serve` with a fake executor ({@link FakeApp}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StrictHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeApp app;
    private HttpServer server;

    private void start(int workers, int queue) throws Exception {
        app = FakeApp.open(workers, queue);
        server = HttpServer.start(app.deployment, new HttpServer.Options("127.0.0.1", 0, 2, 1024,
                java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(5), "auto"));
    }

    @AfterEach void stop() {
        if (server != null) server.close();
        if (app != null) app.close();
    }

    private Socket connect() throws Exception {
        var s = new Socket("127.0.0.1", server.address().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void write(Socket s, String raw) throws Exception {
        s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1)); // one char, one byte
        s.getOutputStream().flush();
    }

    /** Sends one raw request on a new connection: its answer, and whether the server then closed. */
    private record Answer(Wire.Response response, boolean closed) {}

    private Answer exchange(String raw) throws Exception {
        try (var s = connect()) {
            write(s, raw);
            InputStream in = new BufferedInputStream(s.getInputStream());
            Wire.Response r = Wire.read(in);
            assertNotNull(r, "no answer to " + raw);
            boolean closed = "close".equals(r.header("Connection")) && in.read() < 0;
            return new Answer(r, closed);
        }
    }

    private static JsonNode problem(Wire.Response r, int status) throws Exception {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.header("Content-Type"));
        assertNotNull(r.header("X-Request-Id"));
        return JSON.readTree(r.body());
    }

    @Test void rawNonAsciiInTheTargetIsA400LikeItsPercentEncodedForm() throws Exception {
        start(2, 16);
        Answer raw = exchange("GET /names/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n");
        JsonNode p = problem(raw.response, 400);
        JsonNode escaped = problem(exchange("GET /names/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n").response, 400);
        assertEquals(escaped.get("type"), p.get("type"));
        assertEquals("/path", p.get("errors").get(0).get("pointer").asText());
        assertEquals(escaped.get("errors").get(0).get("pointer"), p.get("errors").get(0).get("pointer"));
        assertTrue(raw.closed, "a request line no client should send ends the connection");
        assertEquals(400, app.log.getLast().status(), "an access-log line");
        assertEquals(0, app.runs.get(), "no handler ran");
    }

    @Test void controlCharactersInTheTargetOrAHeaderAre400() throws Exception {
        start(2, 16);
        Answer nul = exchange("GET /names/a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("/path", problem(nul.response, 400).get("errors").get(0).get("pointer").asText());
        assertTrue(nul.closed);
        Answer query = exchange("GET /hello?a=\u0001 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("/query", problem(query.response, 400).get("errors").get(0).get("pointer").asText());
        Answer value = exchange("GET /hello HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n");
        assertEquals("/header/X-A", problem(value.response, 400).get("errors").get(0).get("pointer").asText());
        assertTrue(value.closed);
        Answer name = exchange("GET /hello HTTP/1.1\r\nHost: x\r\nX\u0001A: b\r\n\r\n");
        assertEquals("/header", problem(name.response, 400).get("errors").get(0).get("pointer").asText());
        assertEquals(200, exchange("GET /hello HTTP/1.1\r\nHost: x\r\nX-A: a\tb\r\n\r\n").response.status(), "HTAB is allowed");
        assertEquals(1, app.runs.get());
    }

    @Test void unknownHttpVersionsAre505AndClose() throws Exception {
        start(2, 16);
        for (String version : new String[] {"HTTP/9.9", "HTTP/2.0"}) {
            Answer a = exchange("GET /hello " + version + "\r\nHost: x\r\n\r\n");
            JsonNode p = problem(a.response, 505);
            assertEquals("https://manaknight.dev/problems/http-version-not-supported", p.get("type").asText());
            assertTrue(p.get("detail").asText().contains(version), p.toString());
            assertTrue(a.closed, version);
            assertEquals(505, app.log.getLast().status(), "an access-log line");
        }
        assertEquals(0, app.runs.get());
    }

    @Test void hostIsRequiredOnHttp11AndOnlyOnce() throws Exception {
        start(2, 16);
        Answer missing = exchange("GET /hello HTTP/1.1\r\n\r\n");
        JsonNode p = problem(missing.response, 400);
        assertEquals("/header/Host", p.get("errors").get(0).get("pointer").asText());
        assertEquals("is required on HTTP/1.1", p.get("errors").get(0).get("detail").asText());
        assertTrue(missing.closed);
        Answer twice = exchange("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        assertEquals("must be given once", problem(twice.response, 400).get("errors").get(0).get("detail").asText());
        assertTrue(twice.closed);
        Answer old = exchange("GET /hello HTTP/1.0\r\n\r\n");
        assertEquals(200, old.response.status(), "HTTP/1.0 needs no Host");
        assertEquals("hello", old.response.body());
    }
}

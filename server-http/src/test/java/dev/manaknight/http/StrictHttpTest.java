package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

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

    // ---- deep pipelining (backpressure, PipelineLimit) ----

    /**
     * Issue 12: 129 pipelined requests reset the connection with no answer (Netty's codec threw
     * past a depth of 128) and logged a 24-line ERROR stack. Now every request is answered, in
     * order, and nothing is logged.
     */
    @Test void deepPipelinesAreAnsweredInOrderWithoutALoggedError() throws Exception {
        start(4, 64);
        PrintStream err = System.err;
        var captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err
        try {
            for (int n : new int[] {129, 500, 5000}) pipeline(n);
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("ERROR") || log.contains("\tat "), log);
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger("manaknight").warn("probe");
        } finally {
            System.setErr(err);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("probe"), "the capture sees the server log");
        assertEquals(129 + 500 + 5000, app.runs.get());
    }

    private void pipeline(int n) throws Exception {
        var requests = new StringBuilder();
        for (int i = 0; i < n; i++) requests.append("GET /items/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        try (var s = connect()) {
            // One write; from a thread of its own, as it blocks once the server stops reading.
            var writer = Thread.ofVirtual().start(() -> {
                try {
                    write(s, requests.toString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < n; i++) {
                Wire.Response r = Wire.read(in);
                assertNotNull(r, n + " pipelined: the connection ended after " + i + " answers");
                assertEquals(200, r.status(), n + " pipelined, answer " + i + ": " + r.body());
                assertEquals(String.valueOf(i), r.body(), n + " pipelined: answers in order");
            }
            writer.join();
            assertNull(quiet(s), "nothing more");
        }
    }

    /** After the last answer: nothing more arrives within a short read timeout (null), or the stream ended. */
    private static Wire.Response quiet(Socket s) throws Exception {
        s.setSoTimeout(200);
        try {
            return Wire.read(s.getInputStream());
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
    }

    /**
     * A client that pipelines and never reads its answers cannot make the server hold them all:
     * the connection stops being read once its unsent answers pass the write buffer's high-water
     * mark, so the handlers run stop far short of what was sent. When the client reads, every
     * request is answered, in order.
     */
    @Test void aClientThatDoesNotReadItsAnswersIsNotReadEither() throws Exception {
        start(4, 64);
        int n = 10_000;
        var requests = new StringBuilder();
        for (int i = 0; i < n; i++) requests.append("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
        try (var s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(server.address());
            s.setSoTimeout(10_000);
            var writer = Thread.ofVirtual().start(() -> {
                try {
                    write(s, requests.toString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long ran = plateau();
            assertTrue(ran < n / 4, ran + " of " + n + " requests ran while their answers went unread");
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < n; i++) {
                Wire.Response r = Wire.read(in);
                assertNotNull(r, "the connection ended after " + i + " answers");
                assertEquals(FakeApp.BIG, r.body().length(), "answer " + i);
            }
            writer.join();
        }
        assertEquals(n, app.runs.get());
    }

    /** The handler runs once they stop growing (no change for 500 ms; at most 10 s). */
    private long plateau() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = app.runs.get();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (now > 0 && System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(500)) {
                return now;
            }
            Thread.sleep(20);
        }
        return app.runs.get();
    }
}

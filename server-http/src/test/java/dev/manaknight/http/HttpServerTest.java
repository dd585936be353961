package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.AccessLog;
import dev.manaknight.runtime.ConnectionCount;
import dev.manaknight.runtime.Deployment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server over a real socket, with a fake executor in place of the VM. */
class HttpServerTest {
    private static final Type ITEM = new Type.Named("Item");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private HttpServer server;
    private Deployment core;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    private static Module module() {
        var routes = List.of(
                new Route(HttpMethod.GET, "/hello", 0, List.of(), 0, List.of(), "a.mnk", 1),
                new Route(HttpMethod.GET, "/items/:id", 1, List.of(new Route.Input(Route.Source.PATH, "id", "id", Type.INT, null)), 0, List.of(), "a.mnk", 2),
                new Route(HttpMethod.POST, "/items", 2, List.of(new Route.Input(Route.Source.BODY, "item", "item", ITEM, null)), 0, List.of(), "a.mnk", 3),
                new Route(HttpMethod.GET, "/slow", 3, List.of(), 0, List.of(), "a.mnk", 4));
        var types = List.<TypeDef>of(new TypeDef.RecordDef("Item", List.of(new TypeDef.FieldDef("id", Type.INT), new TypeDef.FieldDef("name", Type.STRING))));
        return new Module(List.of(), types, List.of(), List.of(), List.of(), routes, List.of());
    }

    private void start(int workers, int queue, long bodyLimit) throws Exception {
        start(workers, queue, bodyLimit, 1024, Duration.ofSeconds(60));
    }

    private void start(int workers, int queue, long bodyLimit, int maxConnections, Duration idleTimeout) throws Exception {
        start(workers, queue, bodyLimit, maxConnections, idleTimeout, 0);
    }

    private void start(int workers, int queue, long bodyLimit, int maxConnections, Duration idleTimeout, long bodyBudget)
            throws Exception {
        List<BiFunction<Host, Object[], Outcome>> handlers = List.of(
                (h, a) -> respond(200, new Response.Body.Text("hello")),
                (h, a) -> respond(200, new Response.Body.Json(Type.INT, a[0])),
                (h, a) -> respond(201, new Response.Body.Json(ITEM, a[0])),
                (h, a) -> {
                    started.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return respond(200, new Response.Body.Text("slow"));
                });
        var cfg = FakeApp.config(workers, queue, bodyLimit, maxConnections, idleTimeout, bodyBudget);
        core = Deployment.open(Program.trusted(module()), cfg, Deployment.Setup.server()
                .withExecutor(FakeApp.executor(handlers, new AtomicLong()))
                .withAccessLog(AccessLog.NONE));
        server = HttpServer.start(core, HttpServer.Options.of(cfg));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.connections().open() > 0 && System.nanoTime() < deadline) Thread.sleep(5); // the self warm-up's
    }

    private static Outcome respond(int status, Response.Body body) {
        return new Outcome.Responded(new Response(status, body, List.of()));
    }

    @AfterEach void stop() {
        release.countDown();
        if (server != null) server.close();
        if (core != null) core.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String contentType) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10));
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode problem(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode p = json.readTree(r.body());
        assertEquals(status, p.get("status").asInt());
        assertTrue(p.get("type").asText().startsWith("https://manaknight.dev/problems/"));
        return p;
    }

    @Test void servesAndAnswersProblems() throws Exception {
        start(4, 16, 1024);
        var ok = send("GET", "/hello", null, null);
        assertEquals(200, ok.statusCode());
        assertEquals("hello", ok.body());
        assertEquals("text/plain; charset=utf-8", ok.headers().firstValue("content-type").orElseThrow());
        assertEquals("42", send("GET", "/items/42", null, null).body());

        problem(send("GET", "/nope", null, null), 404);
        var na = send("DELETE", "/items/1", null, null);
        problem(na, 405);
        assertEquals("GET, HEAD", na.headers().firstValue("Allow").orElseThrow());

        JsonNode bad = problem(send("GET", "/items/abc", null, null), 400);
        assertEquals("/path/id", bad.get("errors").get(0).get("pointer").asText());
        JsonNode badBody = problem(send("POST", "/items", "{\"id\":\"x\"}", "application/json"), 400);
        assertEquals(2, badBody.get("errors").size());

        var created = send("POST", "/items", "{\"name\":\"n\",\"id\":7}", "application/json");
        assertEquals(201, created.statusCode());
        assertEquals("{\"id\":7,\"name\":\"n\"}", created.body());

        problem(send("POST", "/items", "id=7", "application/x-www-form-urlencoded"), 415);
        problem(send("POST", "/items", "{\"id\":1,\"name\":\"" + "x".repeat(2000) + "\"}", "application/json"), 413);
        // the server still answers after a 413
        assertEquals(200, send("GET", "/hello", null, null).statusCode());
    }

    @Test void headHasTheGetHeadersAndNoBody() throws Exception {
        start(2, 2, 1024);
        var r = send("HEAD", "/hello", null, null);
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
        assertEquals("5", r.headers().firstValue("content-length").orElseThrow());
    }

    @Test void keepAliveAndPipeliningAnswerInOrderOnOneConnection() throws Exception {
        start(4, 16, 1024);
        try (var s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /items/2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("1", readResponse(in));
            assertEquals("2", readResponse(in));
            assertEquals("hello", readResponse(in));
            out.write("GET /items/3 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("3", readResponse(in));
        }
    }

    /**
     * Fast handlers finish out of order; replies must still leave in request order (deeper
     * pipelines: StrictHttpTest).
     */
    @Test void manyPipelinedRequestsAreAnsweredInOrder() throws Exception {
        start(4, 256, 1024);
        try (var s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(5000);
            var requests = new StringBuilder();
            for (int i = 0; i < 100; i++) requests.append("GET /items/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            s.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < 100; i++) assertEquals(String.valueOf(i), readResponse(in), "reply " + i);
        }
    }

    /** The status line carries RFC 9110's reason phrase, the one `fpm` and `cgi` write too. */
    @Test void statusLinesHaveRfc9110ReasonPhrases() throws Exception {
        start(2, 2, 1024);
        try (var s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(5000);
            String body = "{\"id\":1,\"name\":\"" + "x".repeat(2000) + "\"}";
            s.getOutputStream().write(("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("HTTP/1.1 413 Content Too Large", in.readLine());
            int length = -1;
            for (String line; !(line = in.readLine()).isEmpty(); )
                if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
            assertEquals(length, in.skip(length));
            assertEquals("hello", readResponse(in));
        }
    }

    /** The body of the next response, which must be a 2xx. */
    private static String readResponse(BufferedReader in) throws Exception {
        Raw r = read(in);
        assertTrue(r.statusLine.startsWith("HTTP/1.1 2"), r.statusLine);
        return r.body;
    }

    /** A response as read: its status line and code, its head and body as text, its body alone. */
    private record Raw(String statusLine, int status, String text, String body) {}

    /** The next response on a connection, by its Content-Length. */
    private static Raw read(BufferedReader in) throws Exception {
        String status = in.readLine();
        assertTrue(status != null, "no response");
        var text = new StringBuilder(status).append('\n');
        int length = 0;
        for (String l; !(l = in.readLine()).isEmpty(); ) {
            text.append(l).append('\n');
            if (l.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(l.substring(15).trim());
        }
        char[] body = new char[length];
        for (int n = 0; n < length; ) n += in.read(body, n, length - n);
        return new Raw(status, Integer.parseInt(status.split(" ")[1]), text.append(body).toString(), new String(body));
    }

    @Test void pastWorkersAndQueueIs503WithRetryAfter() throws Exception {
        start(1, 0, 1024);
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(URI.create(server.url() + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(started.await(5, TimeUnit.SECONDS));
        var busy = send("GET", "/hello", null, null);
        problem(busy, 503);
        assertEquals("1", busy.headers().firstValue("Retry-After").orElseThrow());
        release.countDown();
        assertEquals("slow", slow.get(5, TimeUnit.SECONDS).body());
        assertEquals(200, send("GET", "/hello", null, null).statusCode());
    }

    /**
     * Issue 12: bodies queued behind busy workers are paid from the body budget before they are
     * read; past it a request is answered 503 instead of being buffered, and every byte comes back.
     */
    @Test void bodiesPastTheBodyBudgetAre503AndTheBudgetComesBack() throws Exception {
        start(1, 8, 1024, 1024, Duration.ofSeconds(60), 2000);
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(URI.create(server.url() + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(started.await(5, TimeUnit.SECONDS));
        String item = "{\"id\":1,\"name\":\"" + "n".repeat(1000 - 18) + "\"}";
        assertEquals(1000, item.length());
        var queued = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 2; i++)
            queued.add(client.sendAsync(HttpRequest.newBuilder(URI.create(server.url() + "/items"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(item)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.bodies().held() < 2000 && System.nanoTime() < deadline) Thread.sleep(2);
        assertEquals(2000, server.bodies().held(), "two queued bodies exactly fill the budget");
        Raw refused = raw("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                + item);
        assertEquals(503, refused.status(), refused.text());
        assertTrue(refused.text().contains("\"type\":\"https://manaknight.dev/problems/overloaded\""), refused.text());
        assertTrue(refused.text().contains("request bodies"), refused.text());
        assertTrue(refused.text().toLowerCase().contains("connection: close"), refused.text());
        release.countDown();
        assertEquals("slow", slow.get(5, TimeUnit.SECONDS).body());
        for (var q : queued) assertEquals(201, q.get(5, TimeUnit.SECONDS).statusCode());
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.bodies().held() > 0 && System.nanoTime() < deadline) Thread.sleep(2);
        assertEquals(0, server.bodies().held(), "every byte is given back once its answer is written");
        assertEquals(201, send("POST", "/items", item, "application/json").statusCode());
    }

    @Test void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        start(8, 256, 1024);
        var futures = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 64; i++)
            futures.add(client.sendAsync(HttpRequest.newBuilder(URI.create(server.url() + "/items/" + i)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        for (int i = 0; i < 64; i++) assertEquals(String.valueOf(i), futures.get(i).get(10, TimeUnit.SECONDS).body());
    }

    /** The codec's two size limits, met and passed by one byte: 414 for the request line, 431 for the header fields. */
    @Test void requestLineAndHeaderLimitsAreMetAndThenAnswered414And431() throws Exception {
        start(2, 2, 1024);
        // "GET " + target + " HTTP/1.1" is the line the limit counts (without its CRLF).
        String fits = "/hello?" + "a".repeat(HttpServer.MAX_INITIAL_LINE - "GET /hello? HTTP/1.1".length());
        assertEquals(HttpServer.MAX_INITIAL_LINE, ("GET " + fits + " HTTP/1.1").length());
        assertEquals(200, raw("GET " + fits + " HTTP/1.1\r\nHost: x\r\n\r\n").status);
        var line = raw("GET " + fits + "a HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(414, line.status, line.text);
        assertTrue(line.text.contains("\"type\":\"https://manaknight.dev/problems/uri-too-long\""), line.text);

        // Header fields: the limit counts each line's bytes without its CRLF; "Host: x" is 7 of them.
        String big = "X-Big: " + "b".repeat(HttpServer.MAX_HEADER_BYTES - 7 - "X-Big: ".length());
        assertEquals(200, raw("GET /hello HTTP/1.1\r\nHost: x\r\n" + big + "\r\n\r\n").status);
        var headers = raw("GET /hello HTTP/1.1\r\nHost: x\r\n" + big + "b\r\n\r\n");
        assertEquals(431, headers.status, headers.text);
        assertTrue(headers.text.contains("header-fields-too-large"), headers.text);
    }

    /** One request on its own connection, read to the end of the first response. */
    private Raw raw(String request) throws Exception {
        try (var s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return read(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)));
        }
    }

    // ---- server.idle_timeout and server.max_connections, at their limits (ConnectionGuard) ----

    private static final Duration IDLE = Duration.ofMillis(400);

    private Socket connect() throws Exception {
        var s = new Socket("127.0.0.1", server.address().getPort());
        s.setSoTimeout(5000);
        return s;
    }

    private static void send(Socket s, String text) throws Exception {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Milliseconds until the server closes the socket (reads to EOF; fails past 5 s). */
    private static long millisUntilClosed(Socket s, long t0) throws Exception {
        return untilClosed(s, t0).millis;
    }

    private record Closed(long millis, String text) {}

    /** What the server sent until it closed the socket, and after how long (fails past 5 s). */
    private static Closed untilClosed(Socket s, long t0) throws Exception {
        byte[] b = s.getInputStream().readAllBytes();
        return new Closed(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), new String(b, StandardCharsets.UTF_8));
    }

    @Test void aHeadTrickledByteByByteIsClosedAtTheIdleTimeout() throws Exception {
        start(2, 2, 1024, 16, IDLE);
        try (var s = connect()) {
            long t0 = System.nanoTime();
            var trickle = Thread.ofVirtual().start(() -> {
                try {
                    send(s, "GET /hello HTTP/1.1\r\n");
                    for (int i = 0; i < 40; i++) {
                        send(s, "X");
                        Thread.sleep(50);
                    }
                } catch (Exception closed) {
                    // the server closed the connection: that is the point
                }
            });
            var closed = untilClosed(s, t0);
            assertTrue(closed.millis >= 300 && closed.millis < 1500,
                    "closed after " + closed.millis + " ms, while bytes were still arriving");
            assertTrue(closed.text.startsWith("HTTP/1.1 408 Request Timeout\r\n"), closed.text);
            assertTrue(closed.text.contains("request-timeout"), closed.text);
            trickle.join();
        }
    }

    @Test void pastMaxConnectionsANewOneIsAnswered503AndClosed() throws Exception {
        start(2, 2, 1024, 2, Duration.ofSeconds(60));
        try (var one = connect(); var two = connect()) {
            for (var s : List.of(one, two)) send(s, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(started.await(5, TimeUnit.SECONDS));
            long busy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.deployment().admission().inFlight() < 2 && System.nanoTime() < busy) Thread.sleep(2);
            try (var three = connect()) {
                String answer = new String(three.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), answer);
                assertTrue(answer.contains("retry-after: 1") || answer.contains("Retry-After: 1"), answer);
                assertTrue(answer.contains("too-many-connections"), answer);
            }
            // A client that sends its request at once, before the 503 can arrive, still reads the
            // 503: the refused connection lingers instead of resetting with the request unread.
            for (int i = 0; i < 20; i++) {
                try (var eager = connect()) {
                    send(eager, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
                    String answer = new String(eager.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), "try " + i + ": " + answer);
                }
            }
            assertEquals(21, server.connections().refused());
            release.countDown();
            for (var c : List.of(one, two)) {
                var in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("slow", readResponse(in));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.connections().open() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals("hello", send("GET", "/hello", null, null).body(), "a freed place is taken again");
    }

    /**
     * Issue 12: 10,000 idle connections once held every place until the idle timeout and every
     * other client got 503. At the limit, a new connection now takes the place of an idle one.
     */
    @Test void atMaxConnectionsAnIdleOneIsShedForANewClient() throws Exception {
        start(2, 2, 1024, 2, Duration.ofSeconds(60));
        try (var one = connect(); var two = connect()) {
            for (var s : List.of(one, two)) {
                send(s, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("hello", readResponse(in));
            }
            Thread.sleep(ConnectionCount.MIN_IDLE.toMillis()); // a connection idle for less may be about to send
            try (var three = connect()) {
                send(three, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
                var in = new BufferedReader(new InputStreamReader(three.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("hello", readResponse(in), "the new client is served");
            }
            assertEquals(0, server.connections().refused());
            assertEquals(1, server.connections().shed());
            one.setSoTimeout(5000);
            two.setSoTimeout(5000);
            int closed = 0;
            for (var c : List.of(one, two)) {
                try {
                    send(c, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
                    var in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                    if (in.readLine() == null) closed++;
                } catch (java.io.IOException e) {
                    closed++;
                }
            }
            assertEquals(1, closed, "exactly one idle connection made room");
        }
    }

    /**
     * Issue 12: one client re-opening idle connections faster than they aged kept every place
     * younger than MIN_IDLE, and a neighbour's new connection was answered 503. A client over its
     * share now gives way to another client's newcomer however young its connections.
     */
    @Test void aNewClientGetsInWhileAnotherHoldsEveryPlaceWithYoungIdleConnections() throws Exception {
        start(2, 2, 1024, 4, Duration.ofSeconds(60));
        var hog = new ArrayList<Socket>();
        try {
            for (int i = 0; i < 4; i++) hog.add(connect()); // 127.0.0.1: one client, the whole table
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.connections().open() < 4 && System.nanoTime() < deadline) Thread.sleep(1);
            assertEquals(4, server.connections().open());
            try (var more = connect()) { // the hog's own newcomer, while its connections are still young
                send(more, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
                var in = new BufferedReader(new InputStreamReader(more.getInputStream(), StandardCharsets.UTF_8));
                assertEquals(503, read(in).status(), "a client cannot push out its own young connections");
            }
            try (var neighbour = new Socket()) {
                neighbour.bind(new InetSocketAddress("127.0.0.2", 0)); // Linux routes all of 127/8 to loopback
                neighbour.connect(server.address());
                neighbour.setSoTimeout(5000);
                send(neighbour, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
                var in = new BufferedReader(new InputStreamReader(neighbour.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("hello", readResponse(in), "another client is served");
            }
            assertEquals(1, server.connections().shed());
            assertEquals(1, server.connections().refused());
        } finally {
            for (Socket s : hog) s.close();
        }
    }

    @Test void gracefulStopLetsInFlightRequestsFinish() throws Exception {
        start(2, 2, 1024);
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(URI.create(server.url() + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(started.await(5, TimeUnit.SECONDS));
        var stopping = CompletableFuture.supplyAsync(() -> {
            try {
                return server.stop();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        release.countDown();
        assertEquals("slow", slow.get(5, TimeUnit.SECONDS).body());
        assertTrue(stopping.get(5, TimeUnit.SECONDS));
    }
}

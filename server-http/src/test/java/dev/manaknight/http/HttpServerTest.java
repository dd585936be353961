package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.types.HttpMethod;
import dev.manaknight.lang.types.Type;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.runtime.AccessLog;
import dev.manaknight.runtime.HandlerExecutor;
import dev.manaknight.runtime.RequestCore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server over a real socket, with a fake executor in place of the VM. */
class HttpServerTest {
    private static final Type ITEM = new Type.Named("Item");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private HttpServer server;
    private RequestCore core;
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
        HandlerExecutor exec = (host, granted) -> new HandlerExecutor.Run() {
            @Override public Outcome invoke(int f, Object... args) { return handlers.get(f).apply(host, args); }
            @Override public void cancel() {}
            @Override public long fuelUsed() { return 0; }
            @Override public long memoryUsed() { return 0; }
        };
        core = new RequestCore(module(), exec, null, new RequestCore.Options(bodyLimit, Duration.ofSeconds(5), false), AccessLog.NONE);
        server = HttpServer.start(core, new HttpServer.Options("127.0.0.1", 0, workers, queue, bodyLimit, Duration.ofSeconds(5), 2));
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
     * Fast handlers finish out of order; replies must still leave in request order. (Netty's
     * codec closes a connection with more than 128 requests in flight, so 100.)
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

    private static String readResponse(BufferedReader in) throws Exception {
        String status = in.readLine();
        assertTrue(status != null && status.startsWith("HTTP/1.1 200"), status);
        int length = -1;
        for (String line; !(line = in.readLine()).isEmpty(); )
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        char[] body = new char[length];
        int n = 0;
        while (n < length) n += in.read(body, n, length - n);
        return new String(body);
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

    @Test void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        start(8, 256, 1024);
        var futures = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 64; i++)
            futures.add(client.sendAsync(HttpRequest.newBuilder(URI.create(server.url() + "/items/" + i)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        for (int i = 0; i < 64; i++) assertEquals(String.valueOf(i), futures.get(i).get(10, TimeUnit.SECONDS).body());
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

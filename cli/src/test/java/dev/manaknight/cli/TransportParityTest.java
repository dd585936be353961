package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.manaknight.fcgi.CgiRunner;
import dev.manaknight.fcgi.FcgiProtocol;
import dev.manaknight.fcgi.FpmServer;
import dev.manaknight.http.HttpServer;
import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13: the three transports answer the same bad requests the same way — status, problem
 * type, `instance`, the headers a client relies on (`Content-Type`, `X-Request-Id`,
 * `Retry-After`) and one access-log line each — because one deployment decides them all.
 * `serve` over a raw HTTP/1.1 socket, `fpm` over FastCGI on a unix socket, `cgi` as the CGI
 * program runs a request (in-process: environment, stdin, stdout).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportParityTest {
    private static final String APP = """
            type Item { name: String }
            fn next(n: Int): Int { n + 1 }
            api GET /users/:id { respond json(next(id)) }
            api POST /items {
              body item: Item
              respond status 201 json(item)
            }
            api GET /fast { respond text("fast") }
            api GET /spin {
              var t = 0
              for i in 0..2000000000 { t = t + i }
              respond json(t)
            }
            """;
    private static final int BODY_LIMIT = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    private Program program;
    private Deployment serveApp;
    private HttpServer serve;
    private FpmServer fpm;
    private Path fpmSocket;

    /** An answer as a client sees it: status, headers (lower-case names, last value wins), body. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
    }

    /** One way in. */
    interface Transport {
        Answer send(String method, String target, Map<String, String> headers, byte[] body) throws Exception;

        Path accessLog();
    }

    @BeforeAll void start() throws Exception {
        program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", APP))));
        serveApp = Deployment.open(program, config("serve", "127.0.0.1:0"), Deployment.Setup.server());
        serve = HttpServer.start(serveApp, HttpServer.Options.of(serveApp.config()));
        fpmSocket = dir.resolve("fpm.sock");
        Config fpmConfig = config("fpm", "unix:" + fpmSocket);
        fpm = FpmServer.start(() -> fpmConfig, c -> program, false);
    }

    @AfterAll void stop() {
        if (serve != null) serve.close();
        if (serveApp != null) serveApp.close();
        if (fpm != null) fpm.close();
    }

    private Config config(String name, String listen) throws Exception {
        Path toml = dir.resolve(name + ".toml");
        Files.writeString(toml, """
                [server]
                listen = "%s"
                workers = 1
                queue = 0
                openapi = true
                [limits]
                body = %d
                timeout = "3s"
                cpu = "0ms"
                fuel = 2000000000
                [log]
                access = "%s"
                """.formatted(listen, BODY_LIMIT, dir.resolve(name + "-access.log")));
        return ConfigLoader.load(null, toml);
    }

    Stream<Arguments> transports() {
        return Stream.of(Arguments.of("serve"), Arguments.of("fpm"), Arguments.of("cgi"));
    }

    Stream<Arguments> servers() {
        return Stream.of(Arguments.of("serve"), Arguments.of("fpm"));
    }

    private Transport transport(String name) {
        return switch (name) {
            case "serve" -> new Transport() {
                @Override public Answer send(String method, String target, Map<String, String> headers, byte[] body)
                        throws IOException {
                    return http(serve.address().getPort(), method, target, headers, body);
                }

                @Override public Path accessLog() { return dir.resolve("serve-access.log"); }
            };
            case "fpm" -> new Transport() {
                @Override public Answer send(String method, String target, Map<String, String> headers, byte[] body)
                        throws IOException {
                    return parseCgi(fastCgi(fpmSocket, cgiParams(method, target, headers, body), body));
                }

                @Override public Path accessLog() { return dir.resolve("fpm-access.log"); }
            };
            case "cgi" -> new Transport() {
                @Override public Answer send(String method, String target, Map<String, String> headers, byte[] body)
                        throws Exception {
                    var out = new ByteArrayOutputStream();
                    var err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
                    CgiRunner.run(program, config("cgi", "127.0.0.1:0"), cgiParams(method, target, headers, body),
                            new ByteArrayInputStream(body), out, err);
                    return parseCgi(out.toByteArray());
                }

                @Override public Path accessLog() { return dir.resolve("cgi-access.log"); }
            };
            default -> throw new IllegalArgumentException(name);
        };
    }

    // ---- the cases ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}") @MethodSource("transports")
    void anUnknownRouteIs404(String name) throws Exception {
        Transport t = transport(name);
        problem(t, t.send("GET", "/nope", Map.of(), new byte[0]), 404, "not-found", "/nope");
    }

    @ParameterizedTest(name = "{0}") @MethodSource("transports")
    void aBadPathParameterIs400(String name) throws Exception {
        Transport t = transport(name);
        JsonNode p = problem(t, t.send("GET", "/users/abc", Map.of(), new byte[0]), 400, "invalid-request", "/users/abc");
        assertEquals("/path/id", p.get("errors").get(0).get("pointer").asText());
    }

    @ParameterizedTest(name = "{0}") @MethodSource("transports")
    void aBodyPastTheLimitIs413(String name) throws Exception {
        Transport t = transport(name);
        byte[] body = ("{\"name\":\"" + "x".repeat(BODY_LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8);
        problem(t, t.send("POST", "/items", Map.of("Content-Type", "application/json"), body), 413, "body-too-large", "/items");
    }

    /** curl's default for large bodies: `serve` answers before the body is sent; the others see the body. */
    @ParameterizedTest(name = "{0}") @MethodSource("transports")
    void aBodyPastTheLimitIs413WithExpectContinue(String name) throws Exception {
        Transport t = transport(name);
        byte[] body = ("{\"name\":\"" + "x".repeat(BODY_LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8);
        var headers = Map.of("Content-Type", "application/json", "Expect", "100-continue");
        problem(t, t.send("POST", "/items", headers, body), 413, "body-too-large", "/items");
    }

    @ParameterizedTest(name = "{0}") @MethodSource("transports")
    void theOpenApiDocumentIsServedWhenConfigured(String name) throws Exception {
        Answer a = transport(name).send("GET", "/openapi.json", Map.of(), new byte[0]);
        assertEquals(200, a.status(), a.body());
        assertEquals("application/json", a.header("Content-Type"));
        JsonNode doc = JSON.readTree(a.body());
        assertTrue(doc.get("openapi").asText().startsWith("3.1"), a.body());
        assertTrue(doc.get("paths").has("/users/{id}"), a.body());
        assertNotNull(a.header("X-Request-Id"));
    }

    /** One worker, no queue: a second request while the first runs is refused at once. */
    @ParameterizedTest(name = "{0}") @MethodSource("servers")
    void overloadIs503WithRetryAfter(String name) throws Exception {
        Transport t = transport(name);
        CompletableFuture<Answer> busy = spin(t);
        Answer refused = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) { // until the spin holds the one worker
            Answer a = t.send("GET", "/fast", Map.of(), new byte[0]);
            if (a.status() == 503) {
                refused = a;
                break;
            }
            if (busy.isDone()) busy = spin(t); // a loaded machine: it timed out before a probe met it
            Thread.sleep(5);
        }
        assertNotNull(refused, "no 503 while the only worker was busy");
        problem(t, refused, 503, "overloaded", "/fast");
        assertEquals("1", refused.header("Retry-After"));
        assertEquals(500, busy.get(20, TimeUnit.SECONDS).status(), "the spin ends at its timeout");
    }

    private static CompletableFuture<Answer> spin(Transport t) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return t.send("GET", "/spin", Map.of(), new byte[0]);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private JsonNode problem(Transport t, Answer a, int status, String type, String instance) throws Exception {
        assertEquals(status, a.status(), a.body());
        assertEquals("application/problem+json", a.header("Content-Type"));
        String id = a.header("X-Request-Id");
        assertNotNull(id, "X-Request-Id");
        JsonNode p = JSON.readTree(a.body());
        assertEquals("https://manaknight.dev/problems/" + type, p.get("type").asText());
        assertEquals(status, p.get("status").asInt());
        assertEquals(instance, p.get("instance").asText());
        JsonNode line = accessLine(t.accessLog(), id);
        assertEquals(status, line.get("status").asInt(), line.toString());
        return p;
    }

    /** The access-log line of request `id`, waiting for the log's background flush. */
    private static JsonNode accessLine(Path log, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    JsonNode n = JSON.readTree(line);
                    if (n.get("id").asText().equals(id)) return n;
                }
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no access-log line for " + id + " in " + log);
            Thread.sleep(20);
        }
    }

    // ---- the three ways in -------------------------------------------------------------------

    /** One HTTP/1.1 request on its own connection; with `Expect: 100-continue` the body waits for a 100. */
    private static Answer http(int port, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        try (var s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            var head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body.length > 0) head.append("Content-Length: ").append(body.length).append("\r\n");
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            boolean expect = "100-continue".equalsIgnoreCase(headers.get("Expect"));
            if (!expect) out.write(body);
            out.flush();
            while (true) {
                Answer a = readHttp(in);
                if (a.status() == 100) {
                    out.write(body);
                    out.flush();
                    continue;
                }
                return a;
            }
        }
    }

    private static Answer readHttp(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        var headers = new LinkedHashMap<String, String>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int c = l.indexOf(':');
            headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Answer(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        var b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("closed in a header line");
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** The CGI meta-variables nginx's fastcgi_params (or a CGI server) would set. */
    private static Map<String, String> cgiParams(String method, String target, Map<String, String> headers, byte[] body) {
        var env = new LinkedHashMap<String, String>();
        int q = target.indexOf('?');
        env.put("REQUEST_METHOD", method);
        env.put("REQUEST_URI", target);
        env.put("SCRIPT_NAME", q < 0 ? target : target.substring(0, q));
        env.put("QUERY_STRING", q < 0 ? "" : target.substring(q + 1));
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("REMOTE_ADDR", "127.0.0.1");
        env.put("HTTP_HOST", "localhost");
        headers.forEach((k, v) -> {
            if (k.equalsIgnoreCase("Content-Type")) env.put("CONTENT_TYPE", v);
            else env.put("HTTP_" + k.toUpperCase(Locale.ROOT).replace('-', '_'), v);
        });
        if (body.length > 0) env.put("CONTENT_LENGTH", String.valueOf(body.length));
        return env;
    }

    /** One FastCGI request (responder, no keep-conn) and its STDOUT. */
    private static byte[] fastCgi(Path socket, Map<String, String> params, byte[] body) throws IOException {
        var out = new ByteArrayOutputStream();
        FcgiProtocol.writeRecord(out, FcgiProtocol.FCGI_BEGIN_REQUEST, 1, new byte[] {0, 1, 0, 0, 0, 0, 0, 0});
        FcgiProtocol.writeRecord(out, FcgiProtocol.FCGI_PARAMS, 1, FcgiProtocol.encodePairs(params));
        FcgiProtocol.writeRecord(out, FcgiProtocol.FCGI_PARAMS, 1, new byte[0]);
        for (int at = 0; at < body.length; at += FcgiProtocol.MAX_CONTENT) {
            int n = Math.min(FcgiProtocol.MAX_CONTENT, body.length - at);
            FcgiProtocol.writeRecord(out, FcgiProtocol.FCGI_STDIN, 1, java.util.Arrays.copyOfRange(body, at, at + n));
        }
        FcgiProtocol.writeRecord(out, FcgiProtocol.FCGI_STDIN, 1, new byte[0]);
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            var buf = ByteBuffer.wrap(out.toByteArray());
            while (buf.hasRemaining()) ch.write(buf);
            var stdout = new ByteArrayOutputStream();
            var in = new java.io.DataInputStream(java.nio.channels.Channels.newInputStream(ch));
            while (true) {
                byte[] header = in.readNBytes(8);
                if (header.length < 8) throw new IOException("fcgi: closed before END_REQUEST");
                int type = header[1] & 0xFF;
                int length = (header[4] & 0xFF) << 8 | header[5] & 0xFF;
                int padding = header[6] & 0xFF;
                byte[] content = in.readNBytes(length);
                in.readNBytes(padding);
                if (type == FcgiProtocol.FCGI_STDOUT) stdout.write(content);
                if (type == FcgiProtocol.FCGI_END_REQUEST) return stdout.toByteArray();
            }
        }
    }

    /** A CGI response document: `Status: 404 Not Found`, headers, a blank line, the body. */
    private static Answer parseCgi(byte[] doc) {
        String text = new String(doc, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        var headers = new LinkedHashMap<String, String>();
        int status = 200;
        for (String l : text.substring(0, end).split("\r\n")) {
            int c = l.indexOf(':');
            String k = l.substring(0, c).trim().toLowerCase(Locale.ROOT);
            String v = l.substring(c + 1).trim();
            if (k.equals("status")) status = Integer.parseInt(v.split(" ")[0]);
            else headers.put(k, v);
        }
        return new Answer(status, headers, text.substring(end + 4));
    }

}

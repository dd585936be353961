package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.Fixtures;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.config.Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 9: `http.send` over real sockets to a local receiver (the JDK's HttpServer on
 * 127.0.0.1), through a real compiled app, its VM and a {@link Deployment}: an allowed host is
 * reached with the app's method, headers and body and its answer typed; a host not allowed, or
 * one that resolves to a loopback address without `http.allow_private`, is refused before any
 * byte is sent; `http.timeout` is an `err`, the request's deadline fails the request; a body
 * past `http.max_response` is an `err` (at the limit it is read); a request that made a call
 * is never run again after a conflict; a redirect is answered, not followed.
 */
class OutboundHttpTest {
    private HttpServer receiver;
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private String origin;

    @BeforeEach void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hook", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            var h = ex.getRequestHeaders();
            received.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " sig=" + h.getFirst("X-Signature")
                    + " host=" + h.getFirst("Host") + " " + new String(in, StandardCharsets.UTF_8));
            byte[] out = "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-Receipt", "r-1");
            ex.sendResponseHeaders(202, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        receiver.createContext("/hang", ex -> {
            received.add("hang");
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.createContext("/moved", ex -> {
            received.add("moved");
            ex.getResponseHeaders().add("Location", "/hook");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        receiver.createContext("/bytes", ex -> {
            int n = Integer.parseInt(ex.getRequestURI().getQuery().substring(2));
            received.add("bytes " + n);
            ex.sendResponseHeaders(200, n);
            ex.getResponseBody().write("x".repeat(n).getBytes(StandardCharsets.UTF_8));
            ex.close();
        });
        receiver.start();
        origin = "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    @AfterEach void stop() {
        release.countDown();
        receiver.stop(0);
    }

    /** The app: each route sends one call to `url` and answers what it got. */
    private String app(String url) {
        return """
                api POST /notify {
                  uses { http }
                  match http.send("POST", "%1$s/hook", { "X-Signature": "sha256=abc", "Content-Type": "application/json" },
                      "{\\"event\\":\\"paid\\"}") {
                    ok(r) -> respond status r.status text("${r.headers.get("x-receipt").getOr("-")} ${r.body}")
                    err(e) -> respond status 502 text(e)
                  }
                }

                api GET /call {
                  uses { http }
                  query path: String
                  match http.send("GET", "%1$s${path}", {}, "") {
                    ok(r) -> respond status 200 text("${r.status} ${r.body.len()}")
                    err(e) -> respond status 504 text(e)
                  }
                }
                """.formatted(url);
    }

    private Reply send(String source, Config.Http http, Duration timeout, String method, String target) throws Exception {
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", source))));
        Config base = Fixtures.config(1024, timeout, true);
        var cfg = new Config(null, null, base.server(), base.limits(), base.db(), base.log(), http);
        try (var db = SingleConnectionDatabase.inMemorySqlite();
             var d = Deployment.open(program, cfg, Deployment.Setup.test(db))) {
            return d.handle(Fixtures.req(method, target, null));
        }
    }

    private Config.Http allow(String... origins) {
        return new Config.Http(List.of(origins), true, Duration.ofSeconds(5), 64 * 1024);
    }

    @Test
    void anAllowedHostGetsTheMethodHeadersAndBodyAndItsAnswerIsTyped() throws Exception {
        Reply r = send(app(origin), allow(origin), Duration.ofSeconds(10), "POST", "/notify");
        assertEquals(202, r.status(), r.text());
        assertEquals("r-1 {\"accepted\":true}", r.text());
        assertEquals("POST /hook sig=sha256=abc host=127.0.0.1:" + receiver.getAddress().getPort() + " {\"event\":\"paid\"}",
                received.poll());
    }

    @Test
    void aRedirectIsAnsweredNotFollowed() throws Exception {
        Reply r = send(app(origin), allow(origin), Duration.ofSeconds(10), "GET", "/call?path=/moved");
        assertEquals("302 0", r.text());
        assertEquals(List.of("moved"), List.copyOf(received), "the next hop would escape the checks");
    }

    @Test
    void aHostNotAllowedIsRefusedBeforeAnyByteIsSent() throws Exception {
        Reply none = send(app(origin), Config.Http.DEFAULTS, Duration.ofSeconds(10), "POST", "/notify");
        assertEquals(500, none.status());
        assertTrue(none.text().contains("\"type\":\"https://manaknight.dev/problems/outbound-refused\""), none.text()); // issue 15
        assertTrue(none.text().contains("is not in http.allowed_hosts, which allows no host"), none.text());
        // another port of the same host is another origin
        Reply other = send(app(origin), allow("http://127.0.0.1:1"), Duration.ofSeconds(10), "POST", "/notify");
        assertEquals(500, other.status());
        assertTrue(other.text().contains(origin + " is not in http.allowed_hosts"), other.text());
        assertEquals(List.of(), List.copyOf(received));
    }

    @Test
    void aPrivateAddressIsRefusedUnlessAllowedEvenBehindAName() throws Exception {
        var strict = new Config.Http(List.of(origin), false, Duration.ofSeconds(5), 64 * 1024);
        Reply literal = send(app(origin), strict, Duration.ofSeconds(10), "POST", "/notify");
        assertEquals(500, literal.status());
        assertTrue(literal.text().contains("127.0.0.1 resolves to 127.0.0.1, a loopback, private or link-local address"),
                literal.text());
        // the name is checked by what it resolves to, not by how it reads
        String byName = "http://localhost:" + receiver.getAddress().getPort();
        var strictName = new Config.Http(List.of(byName), false, Duration.ofSeconds(5), 64 * 1024);
        Reply name = send(app(byName), strictName, Duration.ofSeconds(10), "POST", "/notify");
        assertEquals(500, name.status());
        assertTrue(name.text().contains("localhost resolves to "), name.text());
        assertEquals(List.of(), List.copyOf(received));
    }

    /**
     * DNS rebinding: a name is looked up once, checked, and the connection goes to that address.
     * `rebind.invalid` has no address the system could find (RFC 6761); only the checked lookup
     * knows it, so a second lookup by the client would fail the call. A lookup that answers a
     * private address is refused before any connection.
     */
    @Test
    void aPlainCallGoesToTheAddressThatWasCheckedNotToASecondLookup() throws Exception {
        int port = receiver.getAddress().getPort();
        String name = "http://rebind.invalid:" + port;
        var loopback = java.net.InetAddress.getByName("127.0.0.1");
        var policy = OutboundPolicy.of(List.of(name), true);
        try (var out = new HttpOutbound(policy, Duration.ofSeconds(5), 1024, host -> new java.net.InetAddress[] {loopback})) {
            var r = out.send(new Outbound.Call("POST", java.net.URI.create(name + "/hook"), java.util.Map.of(), "once"),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(10), new Outbound.Stop());
            var answer = org.junit.jupiter.api.Assertions.assertInstanceOf(Outbound.Result.Answer.class, r, r.toString());
            assertEquals(202, answer.status());
            assertEquals("POST /hook sig=null host=rebind.invalid:" + port + " once", received.poll());
        }
        var strict = OutboundPolicy.of(List.of(name), false);
        var inside = java.net.InetAddress.getByName("10.0.0.7");
        try (var out = new HttpOutbound(strict, Duration.ofSeconds(5), 1024, host -> new java.net.InetAddress[] {inside})) {
            var refused = org.junit.jupiter.api.Assertions.assertThrows(dev.manaknight.lang.vm.Host.EffectFailure.class,
                    () -> out.send(new Outbound.Call("GET", java.net.URI.create(name + "/hook"), java.util.Map.of(), ""),
                            System.nanoTime() + TimeUnit.SECONDS.toNanos(10), new Outbound.Stop()));
            assertEquals("http-refused", refused.kind());
            assertTrue(refused.getMessage().contains("rebind.invalid resolves to 10.0.0.7"), refused.getMessage());
        }
        assertEquals(List.of(), List.copyOf(received));
    }

    /** The authority is the URL's: a `Host` (or another header the client sets itself) fails the call unsent. */
    @Test
    void aHostHeaderCannotRedirectTheCall() throws Exception {
        try (var out = HttpOutbound.of(allow(origin))) {
            for (String name : List.of("Host", "Content-Length", "Connection")) {
                var refused = org.junit.jupiter.api.Assertions.assertThrows(dev.manaknight.lang.vm.Host.EffectFailure.class,
                        () -> out.send(new Outbound.Call("POST", java.net.URI.create(origin + "/hook"),
                                java.util.Map.of(name, "internal.example"), "x"),
                                System.nanoTime() + TimeUnit.SECONDS.toNanos(10), new Outbound.Stop()));
                assertEquals("http", refused.kind(), name);
                String message = refused.getMessage().toLowerCase(java.util.Locale.ROOT);
                assertTrue(message.contains(name.toLowerCase(java.util.Locale.ROOT)), refused.getMessage());
            }
        }
        assertEquals(List.of(), List.copyOf(received));
    }

    @Test
    void theCallsOwnTimeoutIsAnErr() throws Exception {
        var quick = new Config.Http(List.of(origin), true, Duration.ofMillis(300), 64 * 1024);
        long start = System.nanoTime();
        Reply r = send(app(origin), quick, Duration.ofSeconds(10), "GET", "/call?path=/hang");
        assertEquals(504, r.status(), r.text());
        assertTrue(r.text().contains("no answer within http.timeout (300ms)"), r.text());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the wait ended at the call's timeout");
        assertEquals("hang", received.poll());
    }

    @Test
    void theRequestsDeadlineEndsTheCallAndFailsTheRequest() throws Exception {
        long start = System.nanoTime();
        Reply r = send(app(origin), allow(origin), Duration.ofMillis(500), "GET", "/call?path=/hang");
        long took = System.nanoTime() - start;
        assertEquals(500, r.status(), r.text());
        assertTrue(r.text().contains("timeout"), r.text());
        assertTrue(took < TimeUnit.SECONDS.toNanos(5), "ended near the 500ms deadline, took " + took / 1_000_000 + "ms");
    }

    @Test
    void aResponseBodyIsReadUpToMaxResponseAndNoFurther() throws Exception {
        var capped = new Config.Http(List.of(origin), true, Duration.ofSeconds(5), 1024);
        Reply at = send(app(origin), capped, Duration.ofSeconds(10), "GET", "/call?path=/bytes?n=1024");
        assertEquals(200, at.status(), at.text());
        assertEquals("200 1024", at.text());
        Reply past = send(app(origin), capped, Duration.ofSeconds(10), "GET", "/call?path=/bytes?n=1025");
        assertEquals(504, past.status(), past.text());
        assertTrue(past.text().contains("longer than http.max_response (1024 bytes)"), past.text());
        Reply huge = send(app(origin), capped, Duration.ofSeconds(10), "GET", "/call?path=/bytes?n=50000000");
        assertEquals(504, huge.status(), huge.text());
    }

    /**
     * The body a call read is charged to the request's memory like any value: a body within
     * `http.max_response` but past `limits.memory` stops the request with `memory-exhausted`.
     */
    @Test
    void aResponseBodyIsChargedToTheRequestsMemory() throws Exception {
        var cfg = dev.manaknight.runtime.config.ConfigLoader.parse(null, """
                [limits]
                memory = "32KB"
                [http]
                allowed_hosts = ["%s"]
                allow_private = true
                max_response = "1MB"
                """.formatted(origin), null);
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", app(origin)))));
        try (var db = SingleConnectionDatabase.inMemorySqlite();
             var d = Deployment.open(program, cfg, Deployment.Setup.test(db))) {
            assertEquals("200 1000", d.handle(Fixtures.req("GET", "/call?path=/bytes?n=1000", null)).text());
            Reply big = d.handle(Fixtures.req("GET", "/call?path=/bytes?n=40000", null));
            assertEquals(500, big.status(), big.text());
            assertTrue(big.text().contains("memory-exhausted"), big.text());
        }
    }

    /**
     * A call's wait holds no carrier: with more calls hanging than the JVM has carriers, another
     * request is still answered at once (a wait that pinned its carrier would stall it until the
     * calls' timeout).
     */
    @Test
    void hangingCallsHoldNoCarrier() throws Exception {
        int hanging = Runtime.getRuntime().availableProcessors() + 2;
        var cfg = dev.manaknight.runtime.config.ConfigLoader.parse(null, """
                [server]
                workers = %d
                [http]
                allowed_hosts = ["%s"]
                allow_private = true
                timeout = "20s"
                """.formatted(hanging + 2, origin), null);
        String source = app(origin) + """

                api GET /pure {
                  respond text("here")
                }
                """;
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", source))));
        try (var db = SingleConnectionDatabase.inMemorySqlite();
             var d = Deployment.open(program, cfg, Deployment.Setup.test(db));
             var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < hanging; i++) callers.submit(() -> d.handle(Fixtures.req("GET", "/call?path=/hang", null)));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < hanging && System.nanoTime() < until)
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            assertEquals(hanging, received.size(), "every call reached the receiver and waits");
            long start = System.nanoTime();
            assertEquals("here", d.handle(Fixtures.req("GET", "/pure", null)).text());
            long took = System.nanoTime() - start;
            assertTrue(took < TimeUnit.SECONDS.toNanos(2), "answered in " + took / 1_000_000 + "ms beside " + hanging + " calls");
            release.countDown();
        }
    }

    /**
     * A database whose first `conflicts` commits lose a race (SQLState 40001); with database
     * threads, as a server's pool has, since a transaction checks before its commit only then.
     */
    private static final class Conflicting implements Database {
        final SingleConnectionDatabase inner = SingleConnectionDatabase.inMemorySqlite();
        final JdbcThreads threads = new JdbcThreads(1, 1);
        final AtomicInteger commits = new AtomicInteger();
        final int conflicts;

        Conflicting(int conflicts) { this.conflicts = conflicts; }

        @Override public java.sql.Connection acquire() throws SQLException { return inner.acquire(); }

        @Override public void release(java.sql.Connection c) { inner.release(c); }

        @Override public void beforeCommit() throws SQLException {
            if (commits.incrementAndGet() <= conflicts) throw new SQLException("could not serialize access", "40001");
        }

        @Override public JdbcThreads threads() { return threads; }

        @Override public void close() {
            threads.close();
            inner.close();
        }
    }

    @Test
    void aRequestThatMadeACallIsNeverRunAgainAfterAConflict() throws Exception {
        String source = """
                db { mark(n: Int): Int = "INSERT INTO marks (n) VALUES (:n)" }

                api POST /paid {
                  uses { db, http }
                  let n = db.mark(1)
                  let sent = http.send("POST", "%1$s/hook", {}, "paid")
                  respond status 201
                }

                api POST /quiet {
                  uses { db }
                  let n = db.mark(2)
                  respond status 201
                }
                """.formatted(origin);
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", source))));
        Config base = Fixtures.config(1024, Duration.ofSeconds(10), true);
        var cfg = new Config(null, null, base.server(), base.limits(), base.db(), base.log(), allow(origin));
        try (var db = new Conflicting(1)) {
            Schema.applyIfEmpty(db, "CREATE TABLE marks (n INTEGER);");
            try (var d = Deployment.open(program, cfg, Deployment.Setup.test(db))) {
                Reply paid = d.handle(Fixtures.req("POST", "/paid", null));
                assertEquals(503, paid.status(), paid.text());
                assertTrue(paid.text().contains("transaction-conflict"), paid.text());
                assertEquals(1, received.size(), "the call went out once");
                assertEquals(1, db.commits.get(), "and the request was not run again");
            }
        }
        try (var db = new Conflicting(1)) {
            Schema.applyIfEmpty(db, "CREATE TABLE marks (n INTEGER);");
            try (var d = Deployment.open(program, cfg, Deployment.Setup.test(db))) {
                Reply quiet = d.handle(Fixtures.req("POST", "/quiet", null));
                assertEquals(201, quiet.status(), quiet.text());
                assertEquals(2, db.commits.get(), "a request without a call is run again");
            }
        }
    }
}

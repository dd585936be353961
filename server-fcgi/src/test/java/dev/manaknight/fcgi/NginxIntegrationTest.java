package dev.manaknight.fcgi;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manaknight-FPM behind a real nginx (Debian's package; `.ci/nginx.sh` installs it), in processes
 * of their own: the seed's server block unchanged, `fastcgi_keep_conn` on and off, cgi-fcgi,
 * and no failed request across SIGTERM, SIGQUIT, SIGUSR2 reloads and the --graceful handoff under load.
 * Skipped when nginx is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NginxIntegrationTest {
    static final Path USERS = Path.of("../examples/users").toAbsolutePath().normalize();
    /** How long each load phase runs: long enough for thousands of requests, short for CI. */
    static final long LOAD_MILLIS = 1500;

    @TempDir Path dir;
    Path sock;
    Path config;
    Nginx nginx;
    FpmProcess fpm;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach void start() throws Exception {
        assumeTrue(Nginx.binary() != null, "nginx is not installed (bash .ci/nginx.sh installs it)");
        sock = dir.resolve("fpm.sock");
        Files.createDirectories(dir.resolve("app"));
        useApp("v1");
        Files.copy(USERS.resolve("users.mnk"), dir.resolve("app/users.mnk"));
        config = dir.resolve("prod.toml");
        Files.writeString(config, """
                app = "app"
                [server]
                listen = "unix:%s"
                workers = 4
                queue = 256
                drain_timeout = "20s"
                [limits]
                fuel = 2000000000
                cpu = "20s"
                timeout = "20s"
                [db]
                url = "sqlite:app.db"
                schema = "%s"
                [log]
                access = "access.log"
                """.formatted(sock, USERS.resolve("schema.sql")));
        fpm = FpmProcess.start(config, false, dir.resolve("fpm.err"));
        nginx = Nginx.start(dir.resolve("nginx"), sock);
    }

    @AfterEach void stop() throws Exception {
        if (fpm != null) fpm.close();
        if (nginx != null) nginx.close();
    }

    /** The test app (a version route and a slow route) beside examples/users' routes. */
    void useApp(String version) throws IOException {
        Files.copy(Path.of("src/test/resources/apps", version, "app.mnk"), dir.resolve("app/app.mnk"), StandardCopyOption.REPLACE_EXISTING);
    }

    String url(boolean keep, String path) { return "http://127.0.0.1:" + (keep ? nginx.portKeep : nginx.portOff) + path; }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    void usersExampleWorks(boolean keep) throws Exception {
        var ok = get(url(keep, "/users/1"));
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("{\"id\":1,\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"}", ok.body());
        assertEquals("application/json", ok.headers().firstValue("Content-Type").orElse(""));
        assertTrue(ok.headers().firstValue("X-Request-Id").isPresent());
        assertEquals(404, get(url(keep, "/users/999")).statusCode());
        var bad = get(url(keep, "/users/abc?x=1"));
        assertEquals(400, bad.statusCode());
        assertEquals("application/problem+json", bad.headers().firstValue("Content-Type").orElse(""));
        assertTrue(bad.body().contains("\"pointer\":\"/path/id\""), bad.body());
        var list = get(url(keep, "/users?limit=2"));
        assertEquals(200, list.statusCode());
        assertTrue(list.body().startsWith("[{\"id\":1,") && list.body().contains("\"id\":2") && !list.body().contains("\"id\":3"), list.body());
        String email = "n" + System.nanoTime() + "@example.com";
        var post = http.send(HttpRequest.newBuilder(URI.create(url(keep, "/users"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Nora\",\"email\":\"" + email + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, post.statusCode(), post.body());
        String location = post.headers().firstValue("Location").orElseThrow();
        assertTrue(get(url(keep, location)).body().contains(email));
        var unsupported = http.send(HttpRequest.newBuilder(URI.create(url(keep, "/users"))).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, unsupported.statusCode());
        var head = http.send(HttpRequest.newBuilder(URI.create(url(keep, "/users/1"))).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals("pong", get(url(keep, "/fpm-ping")).body());
    }

    @Test void theSeedServerBlockUnchanged() throws Exception {
        usersExampleWorks(false);
    }

    @Test void withFastcgiKeepConn() throws Exception {
        usersExampleWorks(true);
        // nginx reuses its FastCGI connections: many requests, few connections.
        String before = get(url(true, "/fpm-status?json")).body();
        try (var load = new Load(4, i -> url(true, "/users/" + (1 + i % 3)))) {
            Thread.sleep(LOAD_MILLIS / 2);
        }
        String after = get(url(true, "/fpm-status?json")).body();
        assertTrue(after.contains("\"pool\":\"app\""), after);
        long requests = field(after, "accepted conn") - field(before, "accepted conn");
        long connections = field(after, "connections accepted") - field(before, "connections accepted");
        assertTrue(requests >= 100 && connections * 10 < requests, requests + " requests on " + connections + " new connections");
    }

    /** A number field of the status page's JSON. */
    static long field(String json, String name) {
        var m = java.util.regex.Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return Long.parseLong(m.group(1));
    }

    /**
     * Issue 12: nginx passes a raw non-ASCII target through in REQUEST_URI; it was routed as
     * mojibake. Through nginx it is now Manaknight's 400 problem document, like `%ff`.
     */
    @Test void rawNonAsciiInTheTargetIsA400ThroughNginx() throws Exception {
        try (var s = new java.net.Socket("127.0.0.1", nginx.portOff)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /version\u00ff\u00fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
            assertTrue(answer.contains("application/problem+json") && answer.contains("\"pointer\":\"/path\""), answer);
        }
    }

    @Test void cgiFcgiTalksToTheSocketDirectly() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cgi-fcgi")), "cgi-fcgi is not installed");
        var pb = new ProcessBuilder("/usr/bin/cgi-fcgi", "-bind", "-connect", sock.toString());
        pb.environment().clear();
        pb.environment().putAll(java.util.Map.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/users/2", "SCRIPT_NAME", "/users/2"));
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertTrue(out.startsWith("Status: 200 OK\r\n"), out);
        assertTrue(out.endsWith("\r\n\r\n{\"id\":2,\"name\":\"Grace Hopper\",\"email\":\"grace@example.com\"}"), out);
    }

    @Test void sigtermUnderLoadFailsNoRequestAndExitsZero() throws Exception {
        stopUnderLoad("TERM");
    }

    /** PHP-FPM's graceful stop: HotSpot keeps SIGQUIT unless started as the launcher starts `fpm`. */
    @Test void sigquitUnderLoadFailsNoRequestAndExitsZero() throws Exception {
        stopUnderLoad("QUIT");
        assertTrue(fpm.log().contains("SIGQUIT from pid "), fpm.log());
    }

    private void stopUnderLoad(String signal) throws Exception {
        // Slow requests in flight when TERM arrives, plus a load of fast ones.
        // One slow request (two would take both cores of a small CI machine from the load), sent
        // so that it is still running when TERM arrives: it must finish, not be cut off.
        var slow = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(LOAD_MILLIS - 300);
                int status = get(url(false, "/spin?n=" + 3 * FpmServerTest.SLOW)).statusCode();
                return new long[] {status, System.nanoTime()};
            } catch (Exception e) {
                return new long[] {-1, System.nanoTime()};
            }
        });
        Load load = new Load(4, i -> url(i % 2 == 0, "/users/" + (1 + i % 3)));
        Thread.sleep(LOAD_MILLIS);
        load.close(); // no request is issued after the signal: every one issued before must succeed
        long signalSent = System.nanoTime();
        int code = fpm.stop(signal, 30);
        long[] s = slow.get(30, TimeUnit.SECONDS);
        assertEquals(200, s[0], "the request in flight at SIG" + signal + " finished");
        assertTrue(s[1] > signalSent, "the slow request was still running at SIG" + signal);
        assertEquals(0, code, fpm.log());
        assertEquals(List.of(), List.copyOf(load.failures));
        assertTrue(load.ok.get() > 100, "load ran: " + load.ok.get());
        assertFalse(Files.exists(sock), "the socket is removed at exit");
    }

    @Test void fiveReloadsUnderLoadFailNoRequest() throws Exception {
        try (var load = new Load(4, i -> url(i % 2 == 0, i % 3 == 0 ? "/version" : "/users/" + (1 + i % 3)))) {
            for (int n = 1; n <= 5; n++) {
                useApp(n % 2 == 1 ? "v2" : "v1");
                fpm.signal(n % 2 == 1 ? "USR2" : "HUP");
                Thread.sleep(LOAD_MILLIS / 3);
                String want = n % 2 == 1 ? "v2" : "v1";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!get(url(false, "/version")).body().equals(want) && System.nanoTime() < deadline) Thread.sleep(50);
                assertEquals(want, get(url(false, "/version")).body(), "after reload " + n);
            }
            // A program that does not compile is refused; the old one keeps serving.
            Files.writeString(dir.resolve("app/app.mnk"), Files.readString(Path.of("src/test/resources/apps/broken/app.mnk")));
            fpm.signal("USR2");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!fpm.log().contains("reload refused") && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(fpm.log().contains("unknown name `undefinedName`"), fpm.log());
            assertEquals("v2", get(url(true, "/version")).body());
        }
        assertTrue(get(url(false, "/fpm-status")).body().contains("reloads:              5"));
    }

    /** Issue 4: HotSpot suspends threads with SIGUSR2 by default; a JFR recording must not reload. */
    @Test void aJfrRecordingIsNotAReload() throws Exception {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        assumeTrue(Files.isExecutable(jcmd), "no jcmd beside java");
        var rec = new ProcessBuilder(jcmd.toString(), String.valueOf(fpm.process.pid()), "JFR.start", "duration=2s",
                "filename=" + dir.resolve("fpm.jfr")).redirectErrorStream(true).start();
        assertTrue(rec.waitFor(30, TimeUnit.SECONDS));
        try (var load = new Load(2, i -> url(false, "/users/1"))) {
            Thread.sleep(2500);
        }
        assertTrue(get(url(false, "/fpm-status")).body().contains("reloads:              0\n"), fpm.log());
    }

    @Test void sigusr1ReopensTheAccessLog() throws Exception {
        get(url(false, "/users/1"));
        Path log = dir.resolve("access.log");
        Files.move(log, dir.resolve("access.log.1"));
        fpm.signal("USR1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            get(url(false, "/users/2"));
            if (Files.exists(log) && Files.readString(log).contains("\"path\":\"/users/2\"")) break;
            Thread.sleep(50);
        }
        assertTrue(Files.readString(log).contains("\"path\":\"/users/2\""), "a new access.log after USR1");
        assertTrue(Files.readString(dir.resolve("access.log.1")).contains("\"path\":\"/users/1\""));
    }

    @Test void gracefulHandoffUnderLoadFailsNoRequest() throws Exception {
        handoffUnderLoad();
        assertTrue(Files.exists(sock), "the old instance left the new one's socket");
    }

    /**
     * The same on TCP (SO_REUSEPORT): lossless only when the kernel migrates the connections
     * queued on the old listener as it closes (`net.ipv4.tcp_migrate_req = 1`, which .ci/run sets).
     */
    @Test void gracefulHandoffOnTcpUnderLoadFailsNoRequest() throws Exception {
        assumeTrue(FpmServer.migratesQueuedConnections(), "net.ipv4.tcp_migrate_req is 0 (.ci/run sets it to 1)");
        fpm.close();
        nginx.close();
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(config, Files.readString(config).replace("listen = \"unix:" + sock + "\"", "listen = \"127.0.0.1:" + port + "\""));
        fpm = FpmProcess.start(config, false, dir.resolve("fpm-tcp.err"));
        nginx = Nginx.startTcp(dir.resolve("nginx-tcp"), port);
        handoffUnderLoad();
    }

    /** Load through both server blocks; a new instance starts with --graceful, the old one gets TERM: nothing fails. */
    private void handoffUnderLoad() throws Exception {
        try (var load = new Load(4, i -> url(i % 2 == 0, i % 3 == 0 ? "/version" : "/users/" + (1 + i % 3)))) {
            Thread.sleep(LOAD_MILLIS / 3);
            useApp("v2");
            FpmProcess old = fpm;
            fpm = FpmProcess.start(config, true, dir.resolve("fpm2.err"));
            try (old) {
                // nginx needs no reload: the socket path is the same, now the new instance's.
                assertEquals(0, old.terminate(30), old.log());
            }
            Thread.sleep(LOAD_MILLIS / 3);
            assertEquals("v2", get(url(false, "/version")).body());
            assertEquals("v2", get(url(true, "/version")).body());
            Thread.sleep(LOAD_MILLIS / 3);
            load.close();
            assertEquals(List.of(), List.copyOf(load.failures), nginx.errorLog());
            assertTrue(load.ok.get() > 100, "load ran: " + load.ok.get());
        }
    }
}

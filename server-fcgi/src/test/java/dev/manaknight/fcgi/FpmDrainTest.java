package dev.manaknight.fcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.netty.Drainable;
import dev.manaknight.runtime.config.ConfigLoader;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: `fpm` stopped under keep-alive (FCGI_KEEP_CONN) POSTs, as nginx with
 * `fastcgi_keep_conn` sends them, over a real unix socket. Every request is answered or its
 * connection ends before it was run: the database holds exactly the rows answered 201.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FpmDrainTest {
    static final int CLIENTS = 32;

    @TempDir Path dir;
    private Path sock;
    private FpmServer server;

    @AfterEach void stop() {
        if (server != null) server.close();
    }

    private void start(String limits) throws Exception { start("", limits); }

    /** `serverLines`: more lines of the [server] section. */
    private void start(String serverLines, String limits) throws Exception {
        sock = dir.resolve("fpm.sock");
        Path app = dir.resolve("app");
        Files.createDirectories(app);
        for (String f : List.of("app.mnk", "schema.sql"))
            Files.copy(Path.of("src/test/resources/apps/drain", f), app.resolve(f));
        Path config = dir.resolve("fpm.toml");
        Files.writeString(config, """
                app = "app"
                [server]
                listen = "unix:%s"
                workers = 4
                queue = 64
                drain_timeout = "10s"
                %s
                [db]
                url = "sqlite:%s"
                schema = "%s"
                [limits]
                %s
                [log]
                access = "off"
                """.formatted(sock, serverLines, dir.resolve("app.db"), app.resolve("schema.sql"), limits));
        server = FpmServer.start(() -> ConfigLoader.load(null, config), FpmServerTest.COMPILE, false);
    }

    private FcgiClient client() throws IOException { return new FcgiClient(UnixDomainSocketAddress.of(sock)); }

    @Test void aStopUnderKeepConnPostsRunsNothingUnanswered() throws Exception {
        start("");
        var answered = ConcurrentHashMap.<String>newKeySet();
        var violations = java.util.Collections.synchronizedList(new ArrayList<String>());
        var go = new AtomicBoolean(true);
        var threads = new ArrayList<Thread>();
        for (int c = 0; c < CLIENTS; c++) {
            int id = c;
            boolean pausing = c % 2 == 1;
            threads.add(Thread.ofPlatform().start(() -> {
                try (var fc = client()) {
                    for (int n = 0; go.get() || n == 0; n++) {
                        if (pausing && n > 0) Thread.sleep(ThreadLocalRandom.current().nextInt(600));
                        String name = "c" + id + "-" + n;
                        String body = "{\"name\":\"" + name + "\"}";
                        var p = FpmServerTest.req("POST", "/notes");
                        p.put("CONTENT_TYPE", "application/json");
                        p.put("CONTENT_LENGTH", String.valueOf(body.length()));
                        try {
                            fc.send(new Records().request(1, true, p, body).bytes());
                        } catch (IOException closed) {
                            return; // closed before it was sent: never read
                        }
                        FcgiClient.Answer a;
                        try {
                            a = fc.answer(1);
                        } catch (IOException reset) {
                            a = null;
                        }
                        if (a == null) return; // the connection ended: allowed only if it never ran (checked below)
                        if (a.status().equals("201 Created")) answered.add(name);
                        else violations.add(name + ": " + a.status());
                    }
                } catch (IOException | InterruptedException e) {
                    violations.add("client " + id + ": " + e);
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (answered.size() < CLIENTS * 5 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertTrue(server.stop(), "drained in time");
        go.set(false);
        for (Thread t : threads) t.join(30_000);
        assertEquals(List.of(), violations);
        var rows = new TreeSet<String>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db"));
             var rs = c.createStatement().executeQuery("SELECT name FROM notes")) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        var notAnswered = new TreeSet<>(rows);
        notAnswered.removeAll(answered);
        assertEquals(Set.of(), notAnswered, "committed but never answered");
        var notCommitted = new TreeSet<>(answered);
        notCommitted.removeAll(rows);
        assertEquals(Set.of(), notCommitted, "answered 201 but not committed");
        assertTrue(answered.size() > CLIENTS, "the load ran: " + answered.size());
        var report = server.drainReport();
        assertNotNull(report);
        assertEquals(0, report.cutOff(), report.line());
        assertTrue(report.completed() > 0, report.line());
    }

    /**
     * A request read on an idle kept connection during its grace is answered however long it runs
     * within drain_timeout (the stop once closed it after a fixed second), then the connection ends.
     */
    @Test void aRequestReadInTheIdleGraceIsAnsweredHoweverLongItRuns() throws Exception {
        start("timeout = \"1500ms\"");
        try (var fc = client()) {
            var p = FpmServerTest.req("POST", "/notes");
            p.put("CONTENT_TYPE", "application/json");
            p.put("CONTENT_LENGTH", "12");
            fc.send(new Records().request(1, true, p, "{\"name\":\"a\"}").bytes());
            assertEquals("201 Created", fc.answer(1).status());
            var stopping = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.stop();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.listener().isOpen()) { // the drain began 100 ms before, when the socket's name went
                assertTrue(System.nanoTime() < deadline, "the listener closed");
                Thread.onSpinWait();
            }
            long sent = System.nanoTime();
            fc.send(new Records().request(2, true, FpmServerTest.req("GET", "/slowdb"), "").bytes());
            var a = fc.answer(2);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertNotNull(a, "answered, not cut");
            assertTrue(a.status().startsWith("500"), "the endless query ends at limits.timeout: " + a.stdout());
            assertTrue(tookMillis >= 1000, "it ran past the old second of grace: " + tookMillis + " ms");
            assertTrue(fc.closedByPeer(), "then the connection ends");
            assertTrue(stopping.get(20, TimeUnit.SECONDS), "drained in time");
        }
        var report = server.drainReport();
        assertEquals(1, report.completed(), report.line());
        assertEquals(0, report.cutOff(), report.line());
        assertEquals(0, report.closedIdle(), report.line());
    }

    private CompletableFuture<Boolean> stopInBackground() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.stop();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void awaitListenerClosed() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.listener().isOpen()) { // the drain began 100 ms before, when the socket's name went
            assertTrue(System.nanoTime() < deadline, "the listener closed");
            Thread.onSpinWait();
        }
    }

    private static byte[] note(int id, String name) throws IOException {
        String body = "{\"name\":\"" + name + "\"}";
        var p = FpmServerTest.req("POST", "/notes");
        p.put("CONTENT_TYPE", "application/json");
        p.put("CONTENT_LENGTH", String.valueOf(body.length()));
        return new Records().request(id, true, p, body).bytes();
    }

    /**
     * Issue 17: a stopping `fpm` keeps an idle kept connection open for `drain_delay`, so that
     * nginx, whose `keepalive_timeout` is shorter, closes it first; a POST nginx sends on it
     * meanwhile is answered (closed at 500 ms, the POST met a reset and nginx answered 502). At
     * the delay the connection closes (the limit; the grace alone is 500 ms).
     */
    @Test void anIdleKeptConnectionStaysOpenForTheDrainDelay() throws Exception {
        start("drain_delay = \"2s\"", "");
        try (var used = client(); var idle = client()) {
            used.send(note(1, "a"));
            assertEquals("201 Created", used.answer(1).status());
            idle.send(note(1, "b"));
            assertEquals("201 Created", idle.answer(1).status());
            long began = System.nanoTime();
            var stopping = stopInBackground();
            awaitListenerClosed();
            var idleClosed = CompletableFuture.supplyAsync(() -> {
                try {
                    return idle.closedByPeer() ? System.nanoTime() : -1L;
                } catch (IOException e) {
                    return -1L;
                }
            });
            // Past the old grace of 500 ms, within the delay: the request is read and answered.
            Thread.sleep(Drainable.IDLE_GRACE.toMillis() + 500);
            used.send(note(2, "c"));
            var a = used.answer(2);
            assertNotNull(a, "a request sent in the delay is answered, not met by a close");
            assertEquals("201 Created", a.status());
            assertTrue(used.closedByPeer(), "then the connection ends");
            long closedAfter = TimeUnit.NANOSECONDS.toMillis(idleClosed.get(10, TimeUnit.SECONDS) - began);
            assertTrue(closedAfter >= 2000, "the idle one stays open for drain_delay: closed after " + closedAfter + " ms");
            assertTrue(closedAfter < 5000, "and then closes: after " + closedAfter + " ms");
            assertTrue(stopping.get(20, TimeUnit.SECONDS), "drained in time");
        }
        var report = server.drainReport();
        assertEquals(1, report.completed(), report.line());
        assertEquals(1, report.closedIdle(), report.line());
    }

    /**
     * Issue 17: a connection on which a request has begun to arrive (here 5 bytes of its first
     * record) when the idle grace ends is not idle: the request is read, answered, and then the
     * connection closes.
     */
    @Test void aRequestBegunBeforeTheGraceEndsIsAnswered() throws Exception {
        start("");
        try (var fc = client()) {
            byte[] request = note(1, "slow");
            fc.send(java.util.Arrays.copyOf(request, 5));
            var stopping = stopInBackground();
            awaitListenerClosed();
            Thread.sleep(Drainable.IDLE_GRACE.toMillis() + 500); // past the grace: the test is what did not happen
            fc.send(java.util.Arrays.copyOfRange(request, 5, request.length));
            var a = fc.answer(1);
            assertNotNull(a, "answered, not closed as idle");
            assertEquals("201 Created", a.status());
            assertTrue(fc.closedByPeer(), "then the connection ends");
            assertTrue(stopping.get(20, TimeUnit.SECONDS), "drained in time");
        }
        var report = server.drainReport();
        assertEquals(1, report.completed(), report.line());
        assertEquals(0, report.closedIdle(), report.line());
    }
}

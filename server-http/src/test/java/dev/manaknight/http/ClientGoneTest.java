package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.runtime.AccessEntry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a client that closes its connection while its request runs stops that request's VM
 * and rolls back its transaction, as FastCGI's ABORT_REQUEST does for `fpm`; the access log says
 * 499 (nginx's "client closed request").
 */
class ClientGoneTest {
    @TempDir Path dir;
    private LiveApp app;

    @AfterEach void stop() {
        if (app != null) app.close();
    }

    @Test void aClientThatGoesAwayStopsItsRequestAndRollsItsWorkBack() throws Exception {
        // No CPU limit and ample fuel: only the client's leaving can stop the spin before the 30 s timeout.
        app = LiveApp.sqlite(dir, "[limits]\ncpu = \"0ms\"\nfuel = 2000000000\ntimeout = \"30s\"\n");
        assertEquals("2", app.send("GET", "/items/count").body());
        String body = "{\"name\":\"ghost\",\"price\":1.00,\"note\":null}";
        long start;
        try (var s = new Socket("127.0.0.1", app.server.address().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /insert-then-spin HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (app.server.deployment().admission().inFlight() == 0 && System.nanoTime() < deadline) Thread.sleep(2);
            assertEquals(1, app.server.deployment().admission().inFlight(), "the request runs");
            // Give the handler time to make its insert and enter its loop; the access log checks it did.
            Thread.sleep(300);
            start = System.nanoTime();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (app.server.deployment().admission().inFlight() > 0 && System.nanoTime() < deadline) Thread.sleep(2);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, app.server.deployment().admission().inFlight(), "the VM stopped");
        assertTrue(ms < 2000, "stopped " + ms + " ms after the client left, not at the 30 s timeout");
        AccessEntry e = awaitEntry("POST /insert-then-spin");
        assertEquals(499, e.status());
        assertEquals(1, e.effects(), "the insert ran before the client left");
        assertTrue(e.fuel() > 0, "and the loop after it");
        assertEquals("2", app.send("GET", "/items/count").body(), "the insert was rolled back");
    }

    private AccessEntry awaitEntry(String route) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (AccessEntry e : app.entries()) if (route.equals(e.route())) return e;
            Thread.sleep(10);
        }
        throw new AssertionError("no access-log entry for " + route);
    }
}

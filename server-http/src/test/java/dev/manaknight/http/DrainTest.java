package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: 32 keep-alive clients POSTing, then a stop: 160 of 160 connections once ended with a
 * request sent and never answered, 36 of them committed. Now every request sent is answered (the
 * last ones with `Connection: close`), and the database holds exactly the rows answered 201.
 */
class DrainTest {
    static final int CLIENTS = 32;

    @TempDir Path dir;
    private LiveApp app;

    @AfterEach void stop() {
        if (app != null) app.close();
    }

    @Test void aStopUnderKeepAlivePostsLosesNothing() throws Exception {
        app = LiveApp.sqlite(dir, "[server]\nworkers = 4\n");
        int port = app.server.address().getPort();
        var created = new AtomicInteger();
        var lost = new AtomicInteger();
        var other = new AtomicInteger();
        var go = new AtomicBoolean(true);
        var failures = new ArrayList<String>();
        var clients = new ArrayList<Thread>();
        for (int c = 0; c < CLIENTS; c++) {
            int id = c;
            clients.add(Thread.ofPlatform().start(() -> {
                try (var s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(20_000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    for (int n = 0; go.get() || n == 0; n++) {
                        String body = "{\"name\":\"c" + id + "-" + n + "\",\"price\":1.00,\"note\":null}";
                        out.write(("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        String head;
                        try {
                            head = readResponse(in);
                        } catch (IOException e) {
                            lost.incrementAndGet(); // sent, never answered
                            synchronized (failures) {
                                failures.add("client " + id + " request " + n + ": " + e);
                            }
                            return;
                        }
                        if (head.startsWith("HTTP/1.1 201")) created.incrementAndGet();
                        else other.incrementAndGet();
                        if (head.toLowerCase().contains("connection: close")) return; // the server said so: done
                    }
                } catch (IOException e) {
                    synchronized (failures) {
                        failures.add("client " + id + ": " + e);
                    }
                }
            }));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (created.get() < CLIENTS * 5 && System.nanoTime() < deadline) Thread.sleep(5);
        app.server.close(); // the stop, with requests in flight on every connection
        go.set(false);
        for (Thread t : clients) t.join(30_000);
        assertEquals(0, lost.get(), "requests sent and never answered: " + failures);
        assertEquals(0, other.get(), "every answer was a 201");
        long rows;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db"));
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            rows = rs.getLong(1);
        }
        assertEquals(created.get() + 2, rows, "the rows are exactly the ones answered 201 (plus the 2 seeded)");
        assertTrue(created.get() > CLIENTS, "the load ran: " + created.get());
    }

    /** One response's head (the body read and dropped); throws when the connection ends first. */
    private static String readResponse(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("closed " + (head.size() == 0 ? "without an answer" : "in the head"));
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        long length = 0;
        for (String line : h.split("\r\n"))
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) length = Long.parseLong(line.substring(15).trim());
        in.skipNBytes(length);
        return h;
    }
}

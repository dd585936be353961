package dev.manaknight.fcgi;

import static dev.manaknight.fcgi.FcgiProtocol.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `fpm` under a low file-descriptor limit (`prlimit --nofile=256`): without `max_connections` it
 * promises (FCGI_MAX_CONNS) only what the limit leaves room for, and keeps that promise, closing
 * the connection past it instead of failing to accept with EMFILE.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FpmFileLimitTest {
    static final int NOFILE = 256;
    @TempDir Path dir;

    @Test void theAutomaticConnectionLimitFitsTheFileLimitAndHolds() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux") && Files.isExecutable(Path.of("/usr/bin/prlimit")),
                "needs util-linux's prlimit");
        Path sock = dir.resolve("fpm.sock");
        Path config = FpmProcess.writeConfig(dir, sock);
        try (var fpm = FpmProcess.start(config, false, dir.resolve("fpm.err"), FpmProcess.Launch.LAUNCHER,
                List.of("/usr/bin/prlimit", "--nofile=" + NOFILE, "--"))) {
            var address = UnixDomainSocketAddress.of(sock);
            List<FcgiClient> open = new ArrayList<>();
            try {
                var first = new FcgiClient(address);
                open.add(first);
                byte[] asked = FcgiProtocol.encodePairs(Map.of(FCGI_MAX_CONNS, ""));
                first.send(new Records().record(FCGI_GET_VALUES, 0, asked).bytes());
                var r = first.next();
                int max = Integer.parseInt(FcgiProtocol.decodePairs(r.content(), r.content().length, 10).get(FCGI_MAX_CONNS));
                assertTrue(max >= 16 && max < NOFILE - 64, "FCGI_MAX_CONNS " + max + " under a limit of " + NOFILE);
                while (open.size() < max) {
                    var c = new FcgiClient(address);
                    open.add(c);
                    c.send(new Records().request(1, true, FpmServerTest.req("GET", "/hello"), "").bytes());
                    assertEquals("hello", c.answer(1).body(), "connection " + open.size() + " of " + max);
                }
                try (var past = new FcgiClient(address)) {
                    assertTrue(past.closedByPeer(), "connection " + (max + 1) + " is closed at once");
                }
                assertTrue(fpm.log().contains("the server.max_connections limit"), fpm.log());
            } finally {
                for (var c : open) c.close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            FcgiClient.Answer a = null;
            while (a == null && System.nanoTime() < deadline) {
                try (var c = new FcgiClient(address)) {
                    c.send(new Records().request(1, false, FpmServerTest.req("GET", "/hello"), "").bytes());
                    a = c.answer(1);
                } catch (java.io.IOException refusedWhileTheOthersWereStillClosing) {
                    a = null;
                }
                if (a == null) Thread.sleep(50);
            }
            assertNotNull(a, "served again once the connections closed");
            assertEquals("hello", a.body());
            assertEquals(0, fpm.terminate(30), fpm.log());
        }
    }
}

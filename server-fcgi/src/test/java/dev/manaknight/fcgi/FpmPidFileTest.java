package dev.manaknight.fcgi;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `server.pid` across the `--graceful` handoff, in processes of their own (in one JVM both
 * instances would have the same pid): the successor's id replaces the old one's, the old one
 * leaves it at its stop, and the last one removes it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FpmPidFileTest {
    @TempDir Path dir;

    @Test void thePidFileFollowsTheHandoffAndGoesWithTheLastInstance() throws Exception {
        Path pid = dir.resolve("run/fpm.pid");
        Files.createDirectories(pid.getParent());
        Path config = FpmProcess.writeConfig(dir, dir.resolve("fpm.sock"));
        Files.writeString(config, Files.readString(config).replace("[server]\n", "[server]\npid = \"" + pid + "\"\n"));
        try (var old = FpmProcess.start(config, false, dir.resolve("old.err"))) {
            assertEquals(old.process.pid() + "\n", Files.readString(pid));
            try (var next = FpmProcess.start(config, true, dir.resolve("next.err"))) {
                assertEquals(next.process.pid() + "\n", Files.readString(pid), "the successor's id");
                assertEquals(0, old.terminate(30), old.log());
                assertEquals(next.process.pid() + "\n", Files.readString(pid), "the old instance left it alone");
                assertEquals(0, next.stop("QUIT", 30), next.log());
            }
        }
        assertFalse(Files.exists(pid), "the last instance removed it");
        try (var files = Files.list(pid.getParent())) {
            assertEquals(0, files.count(), "no temporary file left behind");
        }
    }
}

package dev.manaknight.fcgi;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How `fpm` takes its signals in a process of its own: started as the launcher starts it (signals
 * blocked, `-Xrs`, read from a signalfd: SIGQUIT stops it), from a plain `java` command line
 * (SIGQUIT stays HotSpot's thread dump) and with `-Xrs` alone (refused: TERM could not drain).
 * Draining under load through nginx is NginxIntegrationTest's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FpmSignalsTest {
    @TempDir Path dir;
    Path sock;
    Path config;

    @BeforeEach void config() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "signalfd is Linux's");
        sock = dir.resolve("fpm.sock");
        config = FpmProcess.writeConfig(dir, sock);
    }

    @Test void launchedAsTheLauncherDoesSigquitStopsAndEverySignalIsLogged() throws Exception {
        assumeTrue(blockSignalWorks(), "env has no --block-signal (coreutils < 8.31)");
        try (var fpm = FpmProcess.start(config, false, dir.resolve("fpm.err"))) {
            fpm.signal("HUP");
            awaitLog(fpm, "reloaded ");
            fpm.signal("USR1");
            awaitLog(fpm, "SIGUSR1 from pid ");
            assertTrue(fpm.process.isAlive());
            assertEquals(0, fpm.stop("QUIT", 30), fpm.log());
            assertTrue(fpm.log().contains("SIGQUIT from pid "), fpm.log());
            assertFalse(Files.exists(sock), "the socket is removed at exit");
        }
    }

    /** jcmd would send SIGQUIT to a JVM whose attach listener is not running: that would stop the server now. */
    @Test void jcmdAttachesWithoutStoppingIt() throws Exception {
        assumeTrue(blockSignalWorks(), "env has no --block-signal (coreutils < 8.31)");
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        assumeTrue(Files.isExecutable(jcmd), "no jcmd beside java");
        try (var fpm = FpmProcess.start(config, false, dir.resolve("fpm.err"))) {
            var p = new ProcessBuilder(jcmd.toString(), String.valueOf(fpm.process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(out.contains("manaknight-fpm-signals"), out);
            Thread.sleep(500);
            assertTrue(fpm.process.isAlive(), fpm.log());
            assertFalse(fpm.log().contains("SIGQUIT"), fpm.log());
            assertEquals(0, fpm.terminate(30), fpm.log());
        }
    }

    /** A jcmd that found no attach socket leaves .attach_pid<pid> and sends SIGQUIT: that is no stop. */
    @Test void sigquitOfAnAttachingToolDoesNotStopIt() throws Exception {
        assumeTrue(blockSignalWorks(), "env has no --block-signal (coreutils < 8.31)");
        try (var fpm = FpmProcess.start(config, false, dir.resolve("fpm.err"))) {
            Path trigger = Path.of("/tmp/.attach_pid" + fpm.process.pid());
            Files.createFile(trigger);
            try {
                fpm.signal("QUIT");
                awaitLog(fpm, "a jcmd or jstack attaching, not a stop");
            } finally {
                Files.delete(trigger);
            }
            Thread.sleep(300);
            assertTrue(fpm.process.isAlive(), fpm.log());
            assertEquals(0, fpm.stop("QUIT", 30), fpm.log());
        }
    }

    @Test void fromAPlainJavaCommandLineSigquitIsTheThreadDumpAndSigtermStops() throws Exception {
        try (var fpm = FpmProcess.start(config, false, dir.resolve("fpm.err"), FpmProcess.Launch.PLAIN)) {
            fpm.signal("QUIT");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fpm.stdout.stream().noneMatch(l -> l.startsWith("Full thread dump")) && System.nanoTime() < deadline)
                Thread.sleep(50);
            assertTrue(fpm.stdout.stream().anyMatch(l -> l.startsWith("Full thread dump")), String.join("\n", fpm.stdout));
            assertTrue(fpm.process.isAlive());
            awaitLog(fpm, "SIGQUIT is the JVM's thread dump here"); // said once signals are handled, after the ready line
            assertEquals(0, fpm.terminate(30), fpm.log());
        }
    }

    @Test void xrsWithoutBlockedSignalsIsRefusedBeforeListening() throws Exception {
        Path err = dir.resolve("fpm.err");
        Process p = FpmProcess.launch(config, false, err, FpmProcess.Launch.XRS_ONLY);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue());
        String log = Files.readString(err);
        assertTrue(log.contains("the JVM runs with -Xrs, but QUIT, TERM, INT, USR2, HUP and USR1 are not all blocked"), log);
        assertFalse(Files.exists(sock), "it never listened");
    }

    private static boolean blockSignalWorks() throws Exception {
        var p = new ProcessBuilder("env", "--block-signal=QUIT", "true").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static void awaitLog(FpmProcess fpm, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!fpm.log().contains(text) && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(fpm.log().contains(text), fpm.log());
    }
}

package dev.manaknight.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Waiting for a process the tests started (nginx, HAProxy, fpm) to listen on a loopback port. */
public final class Ports {
    private Ports() {}

    /** Whether a TCP connection to 127.0.0.1:`port` is accepted within `timeoutMs`. */
    public static boolean accepting(int port, int timeoutMs) {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * Waits until `p` listens on `port`; false when it exits first or `within` passes (the caller
     * stops it and says why, with its log).
     */
    public static boolean awaitListening(Process p, int port, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!accepting(port, 200)) {
            if (!p.isAlive() || System.nanoTime() > deadline) return false;
            Thread.sleep(20);
        }
        return true;
    }
}

package dev.manaknight.cli.cluster;

import java.io.IOException;
import java.net.ServerSocket;

/** A TCP port free on this machine now, for an instance, a balancer or the database. */
final class Ports {
    private Ports() {}

    static int free() throws IOException {
        try (var probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}

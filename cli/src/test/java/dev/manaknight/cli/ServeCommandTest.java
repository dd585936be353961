package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.runtime.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir Path dir;

    String warning(String server) throws Exception {
        Path config = dir.resolve("c.toml");
        Files.writeString(config, "[server]\n" + server + "\n");
        return ServeCommand.ignoredTransport(ConfigLoader.load(null, config).server()).orElse(null);
    }

    @Test void aTransportOtherThanAutoIsNamedAsFpmsSetting() throws Exception {
        assertNull(warning(""));
        assertNull(warning("transport = \"auto\""));
        assertEquals("server.transport = \"io_uring\" applies to `fpm`; `serve` uses epoll (NIO where epoll is unavailable)",
                warning("transport = \"io_uring\""));
    }
}

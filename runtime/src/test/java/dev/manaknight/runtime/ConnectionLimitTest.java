package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.runtime.config.ConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The automatic limit under a real file-descriptor limit is FpmFileLimitTest's (a process under prlimit). */
class ConnectionLimitTest {
    @Test void aConfiguredLimitIsKeptAndOneBeyondTheFileLimitIsWarnedAbout() throws Exception {
        var small = ConfigLoader.parse(Path.of("x.toml"), "[server]\nmax_connections = 2\n", null);
        assertEquals(2, ConnectionLimit.of(small));
        assertTrue(ConnectionLimit.shortfall(small).isEmpty());
        var huge = ConfigLoader.parse(Path.of("x.toml"), "[server]\nmax_connections = 1048576\n", null);
        long room = ConnectionLimit.room(huge).orElseThrow();
        assertTrue(room < 1048576, "this test needs a file limit below 2^20; it is " + room);
        String warning = ConnectionLimit.shortfall(huge).orElseThrow();
        assertTrue(warning.startsWith("server.max_connections = 1048576, but the file-descriptor limit leaves room for about "),
                warning);
    }
}

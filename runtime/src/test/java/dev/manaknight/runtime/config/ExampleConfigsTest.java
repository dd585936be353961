package dev.manaknight.runtime.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped configurations are production-safe (issue 12): they set `dev = true`, so a 500 sent
 * its SQL text and stack to any client. Each loads, leaves `log.dev` off, and shows it as a
 * commented, opt-in line.
 */
class ExampleConfigsTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @ParameterizedTest
    @ValueSource(strings = {"users/manaknight.toml", "ledger/manaknight.toml", "ledger/postgresql.toml",
            "nginx/local.toml", "nginx/prod.toml"})
    void devModeIsOffAndOptIn(String name) throws Exception {
        Path file = EXAMPLES.resolve(name);
        assertFalse(ConfigLoader.load(null, file).log().dev(), name + " turns dev mode on");
        assertTrue(Files.readString(file).lines().anyMatch(l -> l.matches("# dev = (true|false) +# .*")),
                name + " does not show `dev` as a commented line");
    }
}

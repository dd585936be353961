package dev.manaknight.lang.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The golden helper compares, fails on a missing file, and rewrites only when asked. */
class GoldenTest {
    @TempDir Path dir;

    @Test
    void comparesAndNeverWritesUnlessUpdating() throws IOException {
        Path file = dir.resolve("a.expected");
        String saved = System.getProperty(Golden.UPDATE_PROPERTY);
        try {
            System.clearProperty(Golden.UPDATE_PROPERTY);
            assertThrows(AssertionFailedError.class, () -> Golden.check(file, "x\n"));
            assertEquals(false, Files.exists(file));
            Files.writeString(file, "x\r\n");
            Golden.check(file, "x\n");
            assertThrows(AssertionFailedError.class, () -> Golden.check(file, "y\n"));
            assertEquals("x\r\n", Files.readString(file));

            System.setProperty(Golden.UPDATE_PROPERTY, "true");
            Golden.check(dir.resolve("sub/b.expected"), "new\n");
            assertEquals("new\n", Files.readString(dir.resolve("sub/b.expected")));
            Golden.check(file, "y\n");
            assertEquals("y\n", Files.readString(file));
        } finally {
            if (saved == null) System.clearProperty(Golden.UPDATE_PROPERTY);
            else System.setProperty(Golden.UPDATE_PROPERTY, saved);
        }
    }
}

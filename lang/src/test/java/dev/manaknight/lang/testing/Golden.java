package dev.manaknight.lang.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden-file snapshots: compares output with a stored expected file, and rewrites that file only
 * on purpose, when the system property `golden.update` is "true" (`mvn test -Dgolden.update=true`).
 */
public final class Golden {
    /** The switch that allows rewriting expected files. */
    public static final String UPDATE_PROPERTY = "golden.update";

    private Golden() {}

    public static boolean updating() {
        return "true".equals(System.getProperty(UPDATE_PROPERTY));
    }

    /** Asserts that `expectedFile` holds `actual` (line endings normalised); rewrites it when updating. */
    public static void check(Path expectedFile, String actual) {
        String normalised = actual.replace("\r\n", "\n");
        try {
            if (updating()) {
                if (expectedFile.getParent() != null) Files.createDirectories(expectedFile.getParent());
                if (!Files.exists(expectedFile) || !Files.readString(expectedFile).equals(normalised)) {
                    Files.writeString(expectedFile, normalised);
                }
                return;
            }
            if (!Files.exists(expectedFile)) {
                fail("missing golden file " + expectedFile + "; create it with -D" + UPDATE_PROPERTY + "=true\n"
                        + "actual output:\n" + normalised);
            }
            String expected = Files.readString(expectedFile).replace("\r\n", "\n");
            assertEquals(expected, normalised, "golden file " + expectedFile
                    + " differs; if the change is intended, rerun with -D" + UPDATE_PROPERTY + "=true");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

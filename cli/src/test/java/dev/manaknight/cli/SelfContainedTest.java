package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Issues 13 and 16: no file of the repository points at documents or folders a user of it does not have. */
class SelfContainedTest {
    private static final Pattern OUTSIDE = Pattern.compile("RUNTIME\\.md|LANGUAGE\\.md|\\.\\./shared|shared/(spec|bench|notes)");

    @Test void noFileNamesADocumentOutsideTheRepository() throws IOException {
        Path root = Path.of("..").toRealPath();
        var found = new ArrayList<String>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).filter(SelfContainedTest::ours).toList()) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(f);
                } catch (java.nio.charset.MalformedInputException binary) {
                    continue;
                }
                for (int i = 0; i < lines.size(); i++)
                    if (OUTSIDE.matcher(lines.get(i)).find()) found.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).trim());
            }
        }
        assertEquals(List.of(), found);
    }

    private static boolean ours(Path f) {
        String s = f.toString();
        return !s.contains("/target/") && !s.contains("/.git/") && !s.endsWith("SelfContainedTest.java")
                && !s.contains("/node_modules/") && !s.endsWith(".jar") && !s.endsWith(".db");
    }
}

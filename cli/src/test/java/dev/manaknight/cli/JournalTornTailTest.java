package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash can leave an instance's last segment ending in a line cut short (a torn tail): over the
 * real command line, `journal show` and `replay` skip that line with a warning naming it and read
 * everything else, another instance's records included; `journal verify` still names it a break.
 */
class JournalTornTailTest {
    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private int get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) n++;
        return n;
    }

    @Test void aTornTailIsSkippedWithAWarningAndTheRestIsRead() throws Exception {
        Path source = GuideTest.ROOT.resolve("examples/users");
        Files.createDirectories(dir.resolve("users"));
        for (String f : List.of("users.mnk", "schema.sql", "manaknight.toml"))
            Files.copy(source.resolve(f), dir.resolve("users").resolve(f));
        Files.writeString(dir.resolve("users/manaknight.toml"), "\n[journal]\npath = \"journal\"\n",
                java.nio.file.StandardOpenOption.APPEND);
        try (var sh = new Shell(dir)) {
            for (int run = 0; run < 2; run++) { // two server processes: two instances in one folder
                int port = Shell.freePort();
                sh.start("./manaknight serve users --port " + port, l -> l.contains("listening on"));
                assertEquals(200, get(port, "/users/1"));
                assertEquals(200, get(port, "/users/2"));
                sh.stopServers();
            }
            List<Path> segments;
            try (Stream<Path> s = Files.list(dir.resolve("users/journal"))) {
                segments = s.sorted().toList();
            }
            assertEquals(2, segments.size(), segments.toString());
            Path torn = segments.getFirst();
            byte[] bytes = Files.readAllBytes(torn);
            Files.write(torn, Arrays.copyOf(bytes, bytes.length - 10)); // its last record, cut short

            var shown = sh.run("./manaknight journal show users/journal");
            assertEquals(0, shown.exit(), shown.output());
            assertTrue(shown.output().contains(torn.getFileName() + ":3: its last line is cut short"), shown.output());
            assertEquals(3, count(shown.output(), "(GET /users/:id)"), shown.output());

            var replayed = sh.run("./manaknight replay users/journal --app users");
            assertEquals(0, replayed.exit(), replayed.output());
            assertTrue(replayed.output().contains(torn.getFileName() + ":3: its last line is cut short"), replayed.output());
            assertTrue(replayed.output().endsWith("3 replayed, 3 identical, 0 differ\n"), replayed.output());

            var verified = sh.run("./manaknight journal verify users/journal");
            assertEquals(65, verified.exit(), verified.output());
            assertTrue(verified.output().contains(torn.getFileName() + ":3"), verified.output());
        }
    }
}

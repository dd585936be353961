package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: `manaknight new NAME` writes an app that `test` and `serve` accept as it is. */
class NewCommandTest {
    @TempDir Path dir;

    Cli run(String... args) {
        return Cli.run(AppLoader.standard(), args);
    }

    @Test void theNewAppChecksAndListsWhatItWrote() throws Exception {
        Path app = dir.resolve("hello");
        Cli r = run("new", app.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals(AppTemplate.files().stream().map(f -> "created " + app.resolve(f.name()) + "\n").reduce("", String::concat),
                r.out(), r.toString());
        try (Stream<Path> files = Files.list(app)) {
            assertEquals(List.of(".gitignore", "app.mnk", "manaknight.toml", "schema.sql"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("hello"), files.map(p -> p.getFileName().toString()).toList(), "no staging folder is left");
        }
        Cli check = run("check", app.toString());
        assertEquals(0, check.code(), check.toString());
        assertEquals(app + ": ok (1 route, 2 tests)\n", check.out());
        assertTrue(Files.readString(app.resolve(".gitignore")).contains("/app.db\n"));
    }

    @Test void anExistingNameIsRefusedAndLeftAlone() throws Exception {
        Path app = Files.createDirectory(dir.resolve("hello"));
        Files.writeString(app.resolve("mine.txt"), "keep me");
        Cli r = run("new", app.toString());
        assertEquals(64, r.code(), r.toString());
        assertTrue(r.err().contains(app + " already exists"), r.toString());
        assertTrue(r.err().contains("Try 'manaknight new --help'"), r.toString());
        assertEquals("keep me", Files.readString(app.resolve("mine.txt")));
        assertFalse(Files.exists(app.resolve("app.mnk")));
        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertEquals(64, run("new", file.toString()).code());
    }

    @Test void anInvalidNameIsAUsageError() throws Exception {
        for (String bad : List.of("9lives", "a b", ".hidden", "tab\tname", "x".repeat(65), "..", "/")) {
            Cli r = run("new", dir.resolve(bad).toString());
            assertEquals(64, r.code(), bad + ": " + r);
            assertTrue(r.err().contains("not a valid app name"), r.toString());
        }
        // At the limit: 64 characters.
        Cli longest = run("new", dir.resolve("x".repeat(64)).toString());
        assertEquals(0, longest.code(), longest.toString());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "nothing was written for a bad name");
        }
    }

    @Test void aMissingParentIsAnInputOutputError() {
        Cli r = run("new", dir.resolve("no/such/hello").toString());
        assertEquals(74, r.code(), r.toString());
        assertTrue(r.err().contains("no such file or directory"), r.toString());
    }

    /** The README's quick start, through a real child process and a real socket. */
    @Test void newThenTestThenServe() throws Exception {
        try (var shell = new Shell(dir)) {
            Shell.Run created = shell.run("./manaknight new hello");
            assertEquals(0, created.exit(), created.output());
            Shell.Run tested = shell.run("./manaknight test hello");
            assertEquals(0, tested.exit(), tested.output());
            assertEquals("ok the first note is found\nok an unknown note is 404\n2 passed, 0 failed\n", tested.output());
            int port = Shell.freePort();
            shell.start("./manaknight serve hello --port " + port, line -> line.contains("listening on"));
            var client = HttpClient.newHttpClient();
            var found = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/notes/1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, found.statusCode());
            assertEquals("{\"id\":1,\"text\":\"Hello from Manaknight\"}", found.body());
            var missing = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/notes/2")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            assertTrue(Files.isRegularFile(dir.resolve("hello/app.db")), "the database is beside the config");
        }
    }
}

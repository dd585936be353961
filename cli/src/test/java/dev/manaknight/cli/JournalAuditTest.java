package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18, audit mode and what a journal must not hold, over real `serve` processes and sockets:
 * a change commits with its record — a journal that cannot write means a 503 and nothing
 * committed; a kill -9 just before the commit leaves neither, just after it leaves the record in
 * the database, which the next start writes into the journal. A Secret config value and the
 * credentials in Authorization and Cookie never reach the journal's files, yet replay with the
 * Secret and the journal key answers every request as it was answered, a failed commit included.
 */
class JournalAuditTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String SECRET = "sk-live-5ecret-7f3a9c2e";
    static final String TOKEN = "tok-4b1d9e77c0ffee";
    static final String KEY = Base64.getEncoder().encodeToString(
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private void copyUsers(boolean durable) throws IOException {
        Path source = GuideTest.ROOT.resolve("examples/users");
        Files.createDirectories(dir.resolve("users"));
        for (String f : List.of("users.mnk", "schema.sql", "manaknight.toml"))
            Files.copy(source.resolve(f), dir.resolve("users").resolve(f));
        Files.writeString(dir.resolve("users/manaknight.toml"), "\n[journal]\npath = \"journal\"\ndurable = " + durable + "\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    private HttpResponse<String> send(int port, String method, String path, String json, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String user(String name) { return "{\"name\":\"" + name + "\",\"email\":\"" + name + "@example.com\"}"; }

    /** Waits until the server has printed `text` `times` times; fails when it ends or the wait passes first. */
    private static void awaitOutput(Shell.Server s, String text, int times) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count(s.output(), text) < times) {
            if (System.nanoTime() > deadline || !s.process.isAlive() && count(s.output(), text) < times)
                throw new AssertionError("no \"" + text + "\" (x" + times + ") from the server:\n" + s.output());
            Thread.sleep(10);
        }
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) n++;
        return n;
    }

    private List<String> lines(Path journal) throws IOException {
        var out = new ArrayList<String>();
        try (Stream<Path> s = Files.list(journal)) {
            for (Path p : s.sorted().toList()) out.addAll(Files.readAllLines(p));
        }
        return out;
    }

    @Test void aRecordThatCannotBeWrittenMeansA503AndNothingCommitted() throws Exception {
        copyUsers(true);
        try (var sh = new Shell(dir)) {
            int port = Shell.freePort();
            Shell.Server server = sh.start("./manaknight serve users --port " + port, l -> l.contains("listening on"));
            long pid = server.process.pid();
            HttpResponse<String> first = send(port, "GET", "/users/1", null);
            assertEquals(200, first.statusCode(), first.body());
            String instance = first.headers().firstValue("X-Request-Id").orElseThrow().split("-")[0];
            HttpResponse<String> created = send(port, "POST", "/users", user("edsger"));
            assertEquals(201, created.statusCode(), created.body());
            String createdId = created.headers().firstValue("X-Request-Id").orElseThrow();

            // The next segment cannot be created (as on a full disk), and SIGUSR1 makes the next record start it:
            // a read's record then fails, and while the journal cannot write no change is committed.
            Path blocked = dir.resolve("users/journal").resolve(instance + "-000002.jsonl");
            Files.createDirectory(blocked);
            assertEquals(0, sh.run("kill -USR1 " + pid).exit());
            awaitOutput(server, "SIGUSR1: logs reopened", 1);
            HttpResponse<String> unread = send(port, "GET", "/users/1", null);
            assertEquals(503, unread.statusCode(), unread.body());
            HttpResponse<String> refused = send(port, "POST", "/users", user("hedy"));
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("journal-unavailable"), refused.body());
            assertTrue(refused.body().contains("no change it made to the database was kept"), refused.body());
            Files.delete(blocked);
            HttpResponse<String> all = send(port, "GET", "/users?limit=100", null);
            assertTrue(all.body().contains("edsger@example.com"), all.body());
            assertFalse(all.body().contains("hedy@example.com"), "the refused request committed: " + all.body());

            // SIGUSR1 again, the disk writable: the next record begins segment 2.
            assertEquals(0, sh.run("kill -USR1 " + pid).exit());
            awaitOutput(server, "SIGUSR1: logs reopened", 2);
            assertEquals(200, send(port, "GET", "/users/2", null).statusCode());
            sh.stopServers();

            // The created user's record committed with it: one line, no other.
            List<String> lines = lines(dir.resolve("users/journal"));
            var mine = lines.stream().filter(l -> l.contains("\"" + createdId + "\"")).toList();
            assertEquals(1, mine.size(), String.join("\n", lines));
            assertTrue(mine.getFirst().contains("\"commit\":\"committed\""), mine.getFirst());
            assertTrue(lines.stream().filter(l -> l.contains("hedy@example.com")).noneMatch(l -> l.contains("\"commit\":\"committed\"")),
                    "the refused change's record says it committed");

            var v = sh.run("./manaknight journal verify users/journal");
            assertEquals(0, v.exit(), v.output());
            assertTrue(v.output().matches("(?s)[0-9a-z]{10}: 5 records in 2 segments, chain intact, ending in [0-9a-f]{64}\n"), v.output());
            var shown = sh.run("./manaknight journal show users/journal --id " + createdId);
            assertTrue(shown.output().contains("  commit: made, this record durable with it (audit mode)\n"), shown.output());
            // The refused change's own record got in (the segment it could not begin was not needed): it replays to its 503.
            var r = sh.run("./manaknight replay users/journal --app users");
            assertEquals(0, r.exit(), r.output());
            assertEquals("5 replayed, 5 identical, 0 differ\n", r.output());
        }
    }

    /**
     * A kill -9 at the worst moments of audit mode: just before the commit (neither the change nor
     * its record is kept anywhere) and just after it (both are in the database; the record is not
     * in the journal's file yet). Then `journal verify` accepts the journal, and the next start
     * writes the kept record into its journal, where `journal show` and `replay` find it. The
     * moment is made by the test's own database (PausingServe), which stops the commit there.
     */
    @ParameterizedTest @ValueSource(strings = {"before-commit", "after-commit"})
    void aKillAtTheWorstMomentLosesNoRecordOfAChange(String moment) throws Exception {
        copyUsers(true);
        try (var sh = new Shell(dir)) {
            int port = Shell.freePort();
            String jvm = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Shell.Server server = sh.start(jvm + " --enable-native-access=ALL-UNNAMED -cp '"
                    + System.getProperty("java.class.path") + "' " + PausingServe.class.getName() + " users " + port + " "
                    + moment, l -> l.contains("listening on"));
            CompletableFuture<HttpResponse<String>> pending = http.sendAsync(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/users")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(user("radia"))).build(), HttpResponse.BodyHandlers.ofString());
            awaitOutput(server, "test pause " + moment, 1);
            server.process.destroyForcibly(); // SIGKILL
            assertTrue(server.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(pending.handle((r, e) -> e != null).join(), "the paused request was answered");
            assertTrue(lines(dir.resolve("users/journal")).stream().noneMatch(l -> l.contains("radia")),
                    "the journal's file has the record before its commit was over");
            var v = sh.run("./manaknight journal verify users/journal");
            assertEquals(0, v.exit(), v.output());

            // The next start writes what the database kept (at once: recover_after 0s, one instance).
            Files.writeString(dir.resolve("users/manaknight.toml"), "recover_after = \"0s\"\n",
                    java.nio.file.StandardOpenOption.APPEND);
            int again = Shell.freePort();
            Shell.Server next = sh.start("./manaknight serve users --port " + again, l -> l.contains("listening on"));
            String all = send(again, "GET", "/users?limit=100", null).body();
            boolean committed = moment.equals("after-commit");
            assertEquals(committed, all.contains("radia@example.com"), all);
            assertEquals(committed, next.output().contains("journal: wrote 1 record(s) of committed changes"), next.output());
            sh.stopServers();
            var radia = lines(dir.resolve("users/journal")).stream()
                    .filter(l -> l.contains("\"method\":\"POST\"") && l.contains("radia")).toList();
            assertEquals(committed ? 1 : 0, radia.size(), String.join("\n", radia));
            v = sh.run("./manaknight journal verify users/journal");
            assertEquals(0, v.exit(), v.output());
            assertFalse(v.output().contains("not recorded"), v.output());
            if (!committed) return;
            Matcher m = Pattern.compile("\"record\":\\{\"id\":\"([^\"]+)\"").matcher(radia.getFirst());
            assertTrue(m.find(), radia.getFirst());
            String id = m.group(1);
            var shown = sh.run("./manaknight journal show users/journal --id " + id);
            assertTrue(shown.output().contains("POST /users"), shown.output());
            assertTrue(shown.output().contains("  commit: made, this record durable with it (audit mode)"), shown.output());
            var r = sh.run("./manaknight replay users/journal --app users --id " + id);
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().endsWith("1 replayed, 1 identical, 0 differ\n"), r.output());
        }
    }

    private void writeVault() throws Exception {
        Path app = dir.resolve("vault");
        Files.createDirectories(app);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(app.resolve("schema.sql"), """
                CREATE TABLE sessions (hash TEXT PRIMARY KEY, name TEXT NOT NULL);
                CREATE TABLE items (id INTEGER PRIMARY KEY);
                CREATE TABLE orders (id INTEGER PRIMARY KEY, item INTEGER NOT NULL
                    REFERENCES items(id) DEFERRABLE INITIALLY DEFERRED);
                INSERT INTO items(id) VALUES (1);
                INSERT INTO sessions(hash, name) VALUES ('%s', 'ada');
                """.formatted(hash));
        Files.writeString(app.resolve("vault.mnk"), """
                config {
                  adminKey: Secret
                }

                type Session { name: String }

                type Order { id: Int, item: Int }

                type NewOrder { item: Int }

                db {
                  findSession(hash: String): Option<Session> = "SELECT name FROM sessions WHERE hash = :hash"
                  createOrder(item: Int): Order = "INSERT INTO orders(item) VALUES (:item) RETURNING id, item"
                }

                api GET /admin {
                  header xAdminKey: Option<String>
                  if !config.adminKey.constantTimeEquals(xAdminKey.getOr("")) {
                    respond status 401
                  }
                  respond text("welcome")
                }

                api GET /me {
                  uses { db }
                  header authorization: Option<String>
                  let token = authorization.getOr("").replace("Bearer ", "")
                  match db.findSession(token.sha256()) {
                    some(s) -> respond text(s.name)
                    none -> respond status 401
                  }
                }

                api POST /orders {
                  uses { db }
                  body o: NewOrder
                  respond status 201 json(db.createOrder(o.item))
                }
                """);
        Files.writeString(app.resolve("manaknight.toml"), """
                [db]
                url = "sqlite:vault.db"
                schema = "schema.sql"

                [journal]
                path = "journal"
                durable = true
                """);
    }

    @Test void secretsAndCredentialsStayOutOfTheJournalYetReplayAnswersAsRecorded() throws Exception {
        writeVault();
        try (var sh = new Shell(dir)) {
            int port = Shell.freePort();
            String env = "env MANAKNIGHT_APP_ADMIN_KEY=" + SECRET + " MANAKNIGHT_JOURNAL_KEY=" + KEY + " ";
            sh.start(env + "./manaknight serve vault --port " + port, l -> l.contains("listening on"));
            assertEquals(200, send(port, "GET", "/admin", null, "X-Admin-Key", SECRET).statusCode());
            assertEquals(401, send(port, "GET", "/admin", null, "X-Admin-Key", "x" + SECRET).statusCode());
            assertEquals("ada", send(port, "GET", "/me", null, "Authorization", "Bearer " + TOKEN).body());
            assertEquals(401, send(port, "GET", "/me", null, "Cookie", "session=" + TOKEN).statusCode());
            assertEquals(201, send(port, "POST", "/orders", "{\"item\":1}").statusCode());
            // The deferred foreign key fails the commit itself: a 500, and no order kept.
            HttpResponse<String> failed = send(port, "POST", "/orders", "{\"item\":999}");
            assertEquals(500, failed.statusCode(), failed.body());
            sh.stopServers();

            // Not in any file of the journal, in any form the server wrote it.
            try (Stream<Path> s = Files.list(dir.resolve("vault/journal"))) {
                for (Path p : s.toList()) {
                    String bytes = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                    assertFalse(bytes.contains(SECRET), p + " holds the Secret");
                    assertFalse(bytes.contains(TOKEN), p + " holds the bearer token");
                }
            }
            var shown = sh.run("./manaknight journal show vault/journal");
            assertEquals(0, shown.exit(), shown.output());
            assertFalse(shown.output().contains(SECRET) || shown.output().contains(TOKEN), shown.output());
            assertTrue(shown.output().contains("Authorization: ‹sealed›"), shown.output());
            assertTrue(shown.output().contains("X-Admin-Key: ‹secret adminKey›"), shown.output());
            assertTrue(shown.output().contains("    commit failed: statement: "), shown.output());

            // With the Secret and the key, every request answers as it did: the failed commit too.
            var r = sh.run(env + "./manaknight replay vault/journal --app vault");
            assertEquals(0, r.exit(), r.output());
            assertEquals("6 replayed, 6 identical, 0 differ\n", r.output());
            // Without the key, the requests whose credentials were sealed are skipped, saying why.
            r = sh.run("env MANAKNIGHT_APP_ADMIN_KEY=" + SECRET + " ./manaknight replay vault/journal --app vault");
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("skipped (its Authorization header is sealed: set MANAKNIGHT_JOURNAL_KEY"),
                    r.output());
            assertTrue(r.output().contains("skipped (its Cookie header is sealed"), r.output());
            assertTrue(r.output().endsWith("4 replayed, 4 identical, 0 differ, 2 skipped\n"), r.output());
            // Without the Secret, replay refuses to start, naming the key to give.
            r = sh.run("env MANAKNIGHT_JOURNAL_KEY=" + KEY + " ./manaknight replay vault/journal --app vault");
            assertEquals(64, r.exit(), r.output());
            assertTrue(r.output().contains("adminKey"), r.output());
        }
    }
}

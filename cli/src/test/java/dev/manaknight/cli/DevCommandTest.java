package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: `manaknight dev APP` over the real command line and real sockets: a save recompiles
 * and swaps the program, a request running across the swap finishes on the old one, a broken save
 * prints its code frames while the last good program keeps answering, and new migrations apply.
 */
class DevCommandTest {
    /** The longest wait for a reload to show; a reload takes well under a second here. */
    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final Pattern RELOADED = Pattern.compile("manaknight: reloaded app in (\\d+) ms");

    @TempDir Path dir;
    private Shell shell;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    @BeforeEach void shell() throws IOException {
        shell = new Shell(dir);
        port = Shell.freePort();
    }

    @AfterEach void stop() {
        shell.close();
    }

    /** `/version` answers `version`; `/held` calls the hook, so it stays in flight until the test answers it. */
    static String app(String version) {
        return """
                api GET /version { respond text("%s") }

                api GET /held {
                  uses { http }
                  match http.send("GET", hook(), { "X-From": "dev" }, "") {
                    ok(r) -> respond text("%s held ${r.body}")
                    err(e) -> respond status 502 text(e)
                  }
                }
                """.formatted(version, version);
    }

    @Test void aSaveSwapsTheProgramABrokenOneKeepsTheLastGood() throws Exception {
        try (var hook = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path app = Files.createDirectory(dir.resolve("app"));
            Files.writeString(app.resolve("manaknight.toml"), """
                    [log]
                    access = "off"
                    [http]
                    allowed_hosts = ["http://127.0.0.1:%d"]
                    allow_private = true
                    timeout = "60s"
                    [limits]
                    timeout = "60s"
                    """.formatted(hook.getLocalPort()));
            Files.writeString(app.resolve("hook.mnk"),
                    "fn hook(): String { \"http://127.0.0.1:" + hook.getLocalPort() + "/\" }\n");
            Path source = app.resolve("app.mnk");
            Files.writeString(source, app("v1"));
            Shell.Server dev = shell.start("./manaknight dev app --port " + port, l -> l.contains("listening on"));
            assertEquals("v1", get("/version").body());

            // Requests all along the reloads below: none may fail, each answered by one program or the next.
            var answers = new java.util.concurrent.ConcurrentLinkedQueue<String>();
            var hammering = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread hammer = Thread.ofVirtual().start(() -> {
                while (hammering.get()) {
                    try {
                        HttpResponse<String> r = client.send(request("/version"), HttpResponse.BodyHandlers.ofString());
                        answers.add(r.statusCode() + " " + r.body());
                    } catch (IOException | InterruptedException e) {
                        answers.add("failed: " + e);
                    }
                }
            });
            // A request in flight: its handler waits on the hook's answer, across the swap.
            CompletableFuture<HttpResponse<String>> held =
                    client.sendAsync(request("/held"), HttpResponse.BodyHandlers.ofString());
            hook.setSoTimeout((int) DEADLINE.toMillis());
            try (Socket call = hook.accept()) {
                Files.writeString(source, app("v2"));
                await(() -> body("/version").equals("v2"), "the saved program answers", dev);
                await(() -> RELOADED.matcher(dev.output()).find(), "the reload is said", dev);
                assertTrue(!held.isDone(), "still in flight after the swap");
                readHead(call);
                call.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                        .getBytes(StandardCharsets.US_ASCII));
            }
            HttpResponse<String> answered = held.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, answered.statusCode(), answered.body());
            assertEquals("v1 held ok", answered.body(), "the request that began on the old program finished on it");

            // A broken save: check's code frame on the output, the last good program keeps answering.
            Files.writeString(source, app("v3").replace("respond text(\"v3\")", "respond text(nope)"));
            await(() -> dev.output().contains("not reloaded"), "the broken save is reported", dev);
            String out = dev.output();
            assertTrue(out.contains("app.mnk:1:33: error[E0203]: unknown name `nope`"), out);
            assertTrue(out.contains("\n1 | api GET /version { respond text(nope) }\n  |")
                    && out.contains("  ^^^^ not found in this scope"), "a code frame with its caret:\n" + out);
            assertEquals("v2", body("/version"), "the last good program keeps serving");

            Files.writeString(source, app("v4"));
            await(() -> body("/version").equals("v4"), "the next good save recovers", dev);
            await(() -> dev.output().split("reloaded app in").length == 3, "the second reload is said", dev);
            hammering.set(false);
            hammer.join(DEADLINE.toMillis());
            assertTrue(answers.size() > 10, "requests across the reloads: " + answers.size());
            assertTrue(Set.of("200 v1", "200 v2", "200 v4").containsAll(answers), "nothing failed or dropped across the swaps: "
                    + Set.copyOf(answers));
            assertTrue(answers.contains("200 v1") && answers.contains("200 v2"), "answered before and after a swap");
            var times = RELOADED.matcher(dev.output()).results().map(m -> m.group(1)).toList();
            assertEquals(2, times.size(), dev.output());
            System.out.println("dev reload times (ms): " + times);
        }
    }

    /** A new migration saved beside the app is applied at the reload; the program that uses its table serves. */
    @Test void aNewMigrationIsAppliedAtTheReload() throws Exception {
        Path app = Files.createDirectory(dir.resolve("notes"));
        Path migrations = Files.createDirectory(app.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__users.sql"),
                "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n");
        Files.writeString(app.resolve("app.mnk"), "api GET /version { respond text(\"v1\") }\n");
        Shell.Server dev = shell.start("./manaknight dev notes --port " + port, l -> l.contains("listening on"));
        assertEquals("v1", get("/version").body());

        Files.writeString(migrations.resolve("V2__notes.sql"), """
                CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT NOT NULL);
                INSERT INTO notes(text) VALUES ('first');
                """);
        Files.writeString(app.resolve("app.mnk"), """
                type Note { id: Int, text: String }

                db {
                  notes(): List<Note> = "SELECT id, text FROM notes ORDER BY id"
                }

                api GET /notes {
                  uses { db }
                  respond json(db.notes())
                }
                """);
        await(() -> get("/notes").statusCode() == 200, "the program that reads the new table serves", dev);
        assertEquals("[{\"id\":1,\"text\":\"first\"}]", body("/notes"));

        // An applied migration edited: the reload is refused, naming it; the program keeps serving.
        Files.writeString(migrations.resolve("V1__users.sql"), "CREATE TABLE users(id INTEGER PRIMARY KEY);\n");
        await(() -> dev.output().contains("not reloaded"), "the edited migration is reported", dev);
        assertTrue(dev.output().contains("V1__users.sql"), dev.output());
        assertEquals("[{\"id\":1,\"text\":\"first\"}]", body("/notes"));
    }

    /** A schema script is not run again on a database with tables: `dev` says so rather than doing nothing silently. */
    @Test void aSchemaScriptEditIsSaidNotApplied() throws Exception {
        Path app = Files.createDirectory(dir.resolve("app"));
        Files.writeString(app.resolve("schema.sql"), "CREATE TABLE users(id INTEGER PRIMARY KEY);\n");
        Files.writeString(app.resolve("app.mnk"), """
                db {
                  count(): Int = "SELECT count(*) FROM users"
                }

                api GET /count {
                  uses { db }
                  respond text("${db.count()}")
                }
                """);
        Shell.Server dev = shell.start("./manaknight dev app --port " + port, l -> l.contains("listening on"));
        assertEquals("0", body("/count"));
        Files.writeString(app.resolve("schema.sql"), "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);\n");
        await(() -> RELOADED.matcher(dev.output()).find(), "the reload after the schema edit", dev);
        assertTrue(dev.output().contains("schema.sql changed, but a schema script is applied only to a database without tables"),
                dev.output());
        assertEquals("0", body("/count"));
    }

    /** `dev` needs sources to watch and a first program that compiles; either missing, it starts nothing. */
    @Test void aModuleFileOrABrokenFirstProgramIsRefusedAtStart() throws Exception {
        Path app = Files.createDirectory(dir.resolve("app"));
        Files.writeString(app.resolve("app.mnk"), "api GET /version { respond text(\"v1\") }\n");
        assertEquals(0, Cli.run(AppLoader.standard(), "build", app.toString(), "-o", dir.resolve("app.mkb").toString()).code());
        Cli module = Cli.run(AppLoader.standard(), "dev", dir.resolve("app.mkb").toString(), "--port", String.valueOf(port));
        assertEquals(64, module.code(), module.toString());
        assertTrue(module.err().contains("is not an app directory"), module.toString());
        Files.writeString(app.resolve("app.mnk"), "api GET /version { respond text(nope) }\n");
        Cli broken = Cli.run(AppLoader.standard(), "dev", app.toString(), "--port", String.valueOf(port));
        assertEquals(65, broken.code(), broken.toString());
        assertTrue(broken.err().contains("error[E0203]: unknown name `nope`"), broken.toString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(DEADLINE).build();
    }

    private HttpResponse<String> get(String path) {
        try {
            return client.send(request(path), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String body(String path) { return get(path).body(); }

    /** Waits until `condition` holds, checking every 50 ms; fails with the server's output past {@link #DEADLINE}. */
    private static void await(BooleanSupplier condition, String what, Shell.Server server) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError(what + ": not within " + DEADLINE + "\n" + server.output());
            Thread.sleep(50);
        }
    }

    /** Reads an HTTP request head up to its blank line. */
    private static void readHead(Socket s) throws IOException {
        var in = s.getInputStream();
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) >= 0; )
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
    }
}

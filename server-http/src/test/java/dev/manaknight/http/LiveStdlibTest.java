package dev.manaknight.http;

import static dev.manaknight.http.LiveStatusTest.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 over a real socket, with the real compiler, VM and SQLite: Instants arrive in JSON
 * bodies and query strings as RFC 3339 (any offset), are stored as RFC 3339 text in UTC, compared
 * in SQL and answered in UTC; a bad one is a 400 naming its place; the crypto and regex builtins
 * answer what they answer in the VM tests.
 */
class LiveStdlibTest {
    private static final String APP = """
            type Event { id: Int, name: String, at: Instant }
            type NewEvent { name: String, at: Instant }

            db {
              addEvent(name: String, at: Instant): Event =
                  "INSERT INTO events (name, at) VALUES (:name, :at) RETURNING id, name, at"
              eventsAfter(t: Instant): List<Event> = "SELECT id, name, at FROM events WHERE at > :t ORDER BY at"
            }

            api POST /events {
              uses { db }
              body e: NewEvent
              respond status 201 json(db.addEvent(e.name, e.at))
            }

            api GET /events {
              uses { db }
              query after: Instant
              respond json(db.eventsAfter(after))
            }

            api GET /sign/:message {
              param message: String
              respond text("sha256=" + message.hmacSha256("whsec_test"))
            }

            api GET /currency/:code {
              param code: String
              if !code.matches("[A-Z]{3}") {
                respond status 400 json({ "field": "currency" })
              }
              respond json(code)
            }
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private LiveApp app;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach void start() throws Exception {
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", APP))));
        Files.writeString(dir.resolve("schema.sql"),
                "CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT NOT NULL, at TEXT NOT NULL);\n");
        Config cfg = ConfigLoader.parse(dir.resolve("manaknight.toml"),
                "[db]\nurl = \"sqlite:app.db\"\nschema = \"schema.sql\"\n", dir);
        app = LiveApp.start(program, cfg);
    }

    @AfterEach void stop() {
        app.close();
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(app.server.url() + path)).timeout(Duration.ofSeconds(20));
        if (json != null) b.header("Content-Type", "application/json");
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test void instantsTravelAsRfc3339AndCompareInSql() throws Exception {
        var first = send("POST", "/events", "{\"name\":\"early\",\"at\":\"2026-01-02T05:04:05+02:00\"}");
        assertEquals(201, first.statusCode(), first.body());
        assertEquals("{\"id\":1,\"name\":\"early\",\"at\":\"2026-01-02T03:04:05Z\"}", first.body());
        var second = send("POST", "/events", "{\"name\":\"late\",\"at\":\"2026-01-03T00:00:00.250Z\"}");
        assertEquals(201, second.statusCode(), second.body());

        var after = send("GET", "/events?after=2026-01-02T03:04:05Z", null);
        assertEquals(200, after.statusCode(), after.body());
        assertEquals("[{\"id\":2,\"name\":\"late\",\"at\":\"2026-01-03T00:00:00.250Z\"}]", after.body());
        JsonNode both = JSON.readTree(send("GET", "/events?after=2026-01-01T00:00:00%2B01:00", null).body());
        assertEquals(2, both.size(), both.toString());

        JsonNode bad = problem(send("POST", "/events", "{\"name\":\"x\",\"at\":\"tomorrow\"}"), 400, "invalid-request");
        assertEquals("/body/at", bad.get("errors").get(0).get("pointer").asText(), bad.toString());
        assertTrue(bad.get("errors").get(0).get("detail").asText().contains("RFC 3339"), bad.toString());
        problem(send("GET", "/events?after=yesterday", null), 400, "invalid-request");
    }

    @Test void signaturesAndPatternsOverTheWire() throws Exception {
        var signed = send("GET", "/sign/hello", null);
        assertEquals(200, signed.statusCode());
        assertEquals("sha256=" + hmac("hello", "whsec_test"), signed.body());
        assertEquals("\"EUR\"", send("GET", "/currency/EUR", null).body());
        var wrong = send("GET", "/currency/EURO", null);
        assertEquals(400, wrong.statusCode());
        assertEquals("{\"field\":\"currency\"}", wrong.body());
    }

    /** The JDK's HMAC, to check the VM's own. */
    private static String hmac(String message, String key) throws Exception {
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}

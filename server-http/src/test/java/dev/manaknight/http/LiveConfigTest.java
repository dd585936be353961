package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 2 over a real socket: config keys from `[app]` and the environment reach the
 * handlers; a Secret checks a bearer token and a webhook signature, and its text is in no
 * response, problem document (stack traces on) or the OpenAPI document.
 */
class LiveConfigTest {
    private static final String ADMIN_KEY = "sk_live_7f3a9c";
    private static final String WEBHOOK_SECRET = "whsec_5d1e";
    private static final String APP = """
            config {
              adminKey: Secret
              webhookSecret: Secret
              pageSize: Int = 20
              greeting: String = "hello"
              price: Decimal = 1.00
            }

            type Settings { pageSize: Int, greeting: String, price: Decimal }

            fn requireAdmin(authorization: Option<String>) {
              uses { respond }
              let token = match authorization {
                some(h) -> if h.startsWith("Bearer ") { h.slice(7, h.len()) } else { "" }
                none -> ""
              }
              if !config.adminKey.constantTimeEquals(token) {
                respond status 401 headers { "WWW-Authenticate": "Bearer" }
              }
            }

            api GET /settings {
              header authorization: Option<String>
              requireAdmin(authorization)
              respond json(Settings { pageSize: config.pageSize, greeting: config.greeting, price: config.price })
            }

            api POST /webhooks {
              header xSignature: Option<String>
              query payload: String
              let expected = "sha256=" + config.webhookSecret.hmacSha256(payload)
              if !xSignature.getOr("").constantTimeEquals(expected) { respond status 401 }
              respond status 204
            }

            api GET /boom {
              header authorization: Option<String>
              requireAdmin(authorization)
              let n = config.pageSize - 20
              respond json(100 / n)
            }
            """;

    @TempDir Path dir;
    private LiveApp app;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach void start() throws Exception {
        Program compiled = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", APP))));
        Config cfg = ConfigLoader.parse(dir.resolve("manaknight.toml"), """
                [server]
                openapi = true
                [log]
                dev = true
                [app]
                adminKey = "%s"
                webhookSecret = "from-the-file"
                greeting = "hi"
                """.formatted(ADMIN_KEY), dir,
                Map.of("MANAKNIGHT_APP_WEBHOOK_SECRET", WEBHOOK_SECRET, "MANAKNIGHT_APP_PRICE", "12.50"));
        Program program = cfg.settings().bind(compiled);
        app = LiveApp.start(program, cfg);
    }

    @AfterEach void stop() {
        app.close();
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(app.server.url() + path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void noSecretIn(HttpResponse<String> r) {
        for (String s : List.of(ADMIN_KEY, WEBHOOK_SECRET, "from-the-file")) {
            assertFalse(r.body().contains(s), r.body());
            assertFalse(r.headers().map().toString().contains(s), r.headers().toString());
        }
    }

    @Test void valuesComeFromTheTableTheEnvironmentAndTheDefaults() throws Exception {
        var ok = send("GET", "/settings", Map.of("Authorization", "Bearer " + ADMIN_KEY));
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("{\"pageSize\":20,\"greeting\":\"hi\",\"price\":12.50}", ok.body());
        noSecretIn(ok);
    }

    @Test void aSecretChecksABearerTokenInConstantTime() throws Exception {
        for (var h : List.of(Map.of("Authorization", "Bearer " + ADMIN_KEY + "x"), Map.of("Authorization", "Bearer "),
                Map.of("Authorization", ADMIN_KEY), Map.<String, String>of())) {
            var r = send("GET", "/settings", h);
            assertEquals(401, r.statusCode(), h + " " + r.body());
            assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(null));
            noSecretIn(r);
        }
    }

    @Test void aSecretSignsAWebhook() throws Exception {
        String payload = "{\"type\":\"payment.succeeded\"}";
        String path = "/webhooks?payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
        assertEquals(204, send("POST", path, Map.of("X-Signature", "sha256=" + hmac(payload, WEBHOOK_SECRET))).statusCode());
        // the file's value lost to the environment's
        assertEquals(401, send("POST", path, Map.of("X-Signature", "sha256=" + hmac(payload, "from-the-file"))).statusCode());
        assertEquals(401, send("POST", path, Map.of()).statusCode());
    }

    @Test void noProblemDocumentOrOpenApiDocumentHoldsASecret() throws Exception {
        var boom = send("GET", "/boom", Map.of("Authorization", "Bearer " + ADMIN_KEY));
        assertEquals(500, boom.statusCode(), boom.body());
        assertTrue(boom.body().contains("division-by-zero"), boom.body());
        noSecretIn(boom);
        var doc = send("GET", "/openapi.json", Map.of());
        assertEquals(200, doc.statusCode());
        assertTrue(doc.body().contains("/settings"), doc.body());
        noSecretIn(doc);
        assertFalse(doc.body().contains("adminKey"), "config keys are not part of the HTTP contract");
    }

    /** The JDK's HMAC, to check the VM's own. */
    private static String hmac(String message, String key) throws Exception {
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }
}

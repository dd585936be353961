package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 11: `examples/payments` over real sockets, from its own migrations, served by
 * {@link HttpServer}, its events sent to a local receiver (the JDK's HttpServer on 127.0.0.1)
 * through the `http` effect. The HTTP contract end to end; an event whose signature the receiver
 * can check; one payment and one event for many concurrent requests with one Idempotency-Key;
 * the provider's webhook over the raw bytes it signed; a receiver that is down loses no payment.
 */
class LivePaymentsTest {
    private static final Path EXAMPLE = Path.of("../examples/payments").toAbsolutePath().normalize();
    private static final String ACME = "Bearer sk_test_acme";
    private static final String NOTIFY_SECRET = "whsec_notify_test";
    private static final String WEBHOOK_SECRET = "whsec_test";

    /** A request the receiver got. */
    record Received(String path, String signature, String eventId, String contentType, String body) {}

    @TempDir Path dir;
    private com.sun.net.httpserver.HttpServer receiver;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** How long the receiver takes to answer, in ms: a slow one widens the window of a race. */
    private final AtomicInteger receiverDelay = new AtomicInteger();
    /** What the receiver answers. */
    private final AtomicInteger receiverStatus = new AtomicInteger(204);
    private LiveApp app;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach void startReceiver() throws Exception {
        receiver = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/events", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            var h = ex.getRequestHeaders();
            received.add(new Received(ex.getRequestURI().getPath(), h.getFirst("X-Signature"), h.getFirst("X-Event-Id"),
                    h.getFirst("Content-Type"), new String(in, StandardCharsets.UTF_8)));
            try {
                Thread.sleep(receiverDelay.get()); // the far side's own time, not a wait of the test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(receiverStatus.get(), -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach void stop() {
        if (app != null) app.close();
        receiver.stop(0);
    }

    private String origin() { return "http://127.0.0.1:" + receiver.getAddress().getPort(); }

    /** The example with the receiver's origin allowed; `db` adds keys to the [db] table. */
    private void serve(String db) throws Exception {
        Program compiled = Program.load(Compiler.compile(Compiler.loadSources(EXAMPLE)));
        Config cfg = ConfigLoader.parse(dir.resolve("manaknight.toml"), """
                [db]
                url = "sqlite:app.db"
                migrations = "%s"
                %s
                [http]
                allowed_hosts = ["%s"]
                allow_private = true
                timeout = "2s"
                [app]
                webhookSecret = "%s"
                notifyUrl = "%s/events"
                notifySecret = "%s"
                """.formatted(EXAMPLE.resolve("migrations"), db, origin(), WEBHOOK_SECRET, origin(), NOTIFY_SECRET),
                dir, Map.of());
        app = LiveApp.start(cfg.settings().bind(compiled), cfg);
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(app.server.url() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> pay(String key, String body) throws Exception {
        return send("POST", "/payments", body, Map.of("Authorization", ACME, "Idempotency-Key", key));
    }

    static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void problem(HttpResponse<String> r, int status, String type) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(null));
        JsonNode doc = LiveApp.json(r);
        assertEquals(type, doc.get("type").asText(), r.body());
        assertEquals(status, doc.get("status").asInt(), r.body());
        assertTrue(doc.hasNonNull("title") && doc.hasNonNull("detail"), r.body());
    }

    @Test void theContractOverTheWire() throws Exception {
        serve("");
        String order = "{\"amount\": 12.50, \"currency\": \"EUR\", \"description\": \"Order \\\"1\\\"\"}";
        var created = pay("order-1", order);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode doc = LiveApp.json(created);
        String id = doc.get("id").asText();
        assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
        assertEquals("/payments/" + id, created.headers().firstValue("Location").orElse(null));
        assertTrue(created.body().contains("\"amount\":12.50,"), created.body()); // its 2 decimals, as written
        assertEquals("EUR", doc.get("currency").asText());
        assertEquals("Order \"1\"", doc.get("description").asText());
        assertEquals("pending", doc.get("status").asText());
        String createdAt = doc.get("createdAt").asText();
        assertTrue(createdAt.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z"), createdAt);

        // The event: signed with the notify secret over the exact bytes, its data the answer's bytes.
        Received event = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(event, "no event reached the receiver");
        assertEquals("/events", event.path());
        assertEquals("application/json", event.contentType());
        assertEquals("sha256=" + hmac(NOTIFY_SECRET, event.body()), event.signature());
        assertTrue(event.body().startsWith("{\"id\":\"" + event.eventId() + "\",\"type\":\"payment.created\",\"createdAt\":\""),
                event.body());
        assertTrue(event.body().endsWith(",\"data\":" + created.body() + "}"), event.body());
        assertEquals(event.eventId(), LiveApp.JSON.readTree(event.body()).get("id").asText());

        // The same key and payment: the same status, Location and bytes; nothing created, nobody told.
        var again = pay("order-1", "{\"currency\":\"EUR\",\"description\":\"Order \\\"1\\\"\",\"amount\":12.5}");
        assertEquals(201, again.statusCode(), again.body());
        assertEquals(created.body(), again.body());
        assertEquals(created.headers().firstValue("Location"), again.headers().firstValue("Location"));
        assertEquals(1, count("SELECT count(*) FROM payments"));
        assertTrue(received.isEmpty(), "a replay sent " + received);

        problem(pay("order-1", "{\"amount\": 12.51, \"currency\": \"EUR\", \"description\": \"Order \\\"1\\\"\"}"), 422,
                "https://payments.example/problems/idempotency-key-reused");
        problem(send("POST", "/payments", order, Map.of("Authorization", ACME)), 400,
                "https://payments.example/problems/invalid-request");
        for (var auth : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer sk_test_wrong"))) {
            var headers = new LinkedHashMap<>(auth);
            headers.put("Idempotency-Key", "order-2");
            var r = send("POST", "/payments", order, headers);
            problem(r, 401, "https://payments.example/problems/unauthorized");
            assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(null));
        }
        var invalid = pay("order-3", "{\"amount\": 1.234, \"currency\": \"eur\"}");
        problem(invalid, 400, "https://payments.example/problems/invalid-request");
        JsonNode errors = LiveApp.json(invalid).get("errors");
        assertEquals("/body/amount", errors.get(0).get("pointer").asText());
        assertEquals("/body/currency", errors.get(1).get("pointer").asText());

        var read = send("GET", "/payments/" + id, null, Map.of("Authorization", ACME));
        assertEquals(200, read.statusCode());
        assertEquals(created.body(), read.body());
        problem(send("GET", "/payments/" + id, null, Map.of("Authorization", "Bearer sk_test_globex")), 404,
                "https://payments.example/problems/not-found");
        assertEquals(1, count("SELECT count(*) FROM payments"));
        assertTrue(received.isEmpty(), "refused requests sent " + received);
    }

    /** Concurrent requests with one Idempotency-Key, while the receiver holds the first one's call. */
    private List<HttpResponse<String>> race(int n) throws Exception {
        receiverDelay.set(300);
        String order = "{\"amount\": 9.99, \"currency\": \"EUR\"}";
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var tasks = new ArrayList<Callable<HttpResponse<String>>>();
            for (int i = 0; i < n; i++) tasks.add(() -> pay("same-key", order));
            var out = new ArrayList<HttpResponse<String>>();
            for (Future<HttpResponse<String>> f : pool.invokeAll(tasks)) out.add(f.get());
            return out;
        }
    }

    @Test void concurrentRequestsWithOneKeyCreateOnePaymentAndOneEvent() throws Exception {
        serve("");
        List<HttpResponse<String>> answers = race(16);
        String first = answers.getFirst().body();
        int replayed = 0;
        for (var r : answers) {
            assertEquals(201, r.statusCode(), r.body());
            assertEquals(first, r.body());
            if (r.headers().firstValue("Idempotent-Replayed").isPresent()) replayed++;
        }
        assertEquals(15, replayed, "one request created the payment, the others answered it again");
        assertEquals(1, count("SELECT count(*) FROM payments"));
        assertEquals(1, count("SELECT count(*) FROM events"));
        assertEquals(1, received.size(), received.toString());
    }

    /**
     * The same race without runs again (`db.retries = 0`): the requests that lost it are answered
     * 503, so the race above was real and was won by the runs again; still one payment exists.
     */
    @Test void withoutRunsAgainTheLosersOfTheRaceAre503() throws Exception {
        serve("retries = 0");
        List<HttpResponse<String>> answers = race(16);
        long created = answers.stream().filter(r -> r.statusCode() == 201).count();
        long lost = answers.stream().filter(r -> r.statusCode() == 503).count();
        assertTrue(lost > 0, "no request lost the race: the test shows nothing");
        assertEquals(answers.size(), created + lost, answers.stream().map(HttpResponse::body).toList().toString());
        assertEquals(1, count("SELECT count(*) FROM payments"));
        assertEquals(1, received.size(), received.toString());
    }

    @Test void theProvidersSignedWebhookIsAppliedOnce() throws Exception {
        serve("");
        var created = pay("order-9", "{\"amount\": 5, \"currency\": \"EUR\"}");
        String id = LiveApp.json(created).get("id").asText();
        assertNotNull(received.poll(10, TimeUnit.SECONDS));
        // Spacing and order as the provider wrote them: the signature covers these bytes.
        String event = "{ \"type\" : \"payment.succeeded\",\n  \"id\": \"evt_1\", \"payment\": \"" + id + "\" }";
        var wrong = send("POST", "/webhooks/provider", event, Map.of("X-Signature", "sha256=" + hmac("whsec_wrong", event)));
        problem(wrong, 401, "https://payments.example/problems/bad-signature");
        problem(send("POST", "/webhooks/provider", event, Map.of()), 401, "https://payments.example/problems/bad-signature");
        assertTrue(received.isEmpty(), received.toString());

        var signature = Map.of("X-Signature", "sha256=" + hmac(WEBHOOK_SECRET, event));
        var applied = send("POST", "/webhooks/provider", event, signature);
        assertEquals(204, applied.statusCode(), applied.body());
        assertEquals("succeeded", LiveApp.json(send("GET", "/payments/" + id, null, Map.of("Authorization", ACME)))
                .get("status").asText());
        Received told = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(told, "the change was not announced");
        assertTrue(told.body().contains("\"type\":\"payment.succeeded\""), told.body());
        assertEquals("sha256=" + hmac(NOTIFY_SECRET, told.body()), told.signature());

        assertEquals(204, send("POST", "/webhooks/provider", event, signature).statusCode());
        assertTrue(received.isEmpty(), "an event delivered again was announced again: " + received);
        assertEquals(1, count("SELECT count(*) FROM provider_events"));
    }

    @Test void anEventTheReceiverMissedIsSentAgainByteForByte() throws Exception {
        serve("");
        receiverStatus.set(503);
        var created = pay("order-1", "{\"amount\": 1, \"currency\": \"EUR\"}");
        assertEquals(201, created.statusCode(), created.body());
        Received missed = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(missed);
        assertEquals(1, count("SELECT count(*) FROM events WHERE response_status = 503"));

        receiverStatus.set(204);
        var again = send("POST", "/events/" + missed.eventId() + "/deliveries", null, Map.of("Authorization", ACME));
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("{\"eventId\":\"" + missed.eventId() + "\",\"attempts\":2,\"responseStatus\":204,\"failure\":null}",
                again.body());
        assertEquals(missed, received.poll(10, TimeUnit.SECONDS), "the same bytes, id and signature");
        var theirs = send("POST", "/events/" + missed.eventId() + "/deliveries", null,
                Map.of("Authorization", "Bearer sk_test_globex"));
        problem(theirs, 404, "https://payments.example/problems/not-found");
        assertTrue(received.isEmpty(), received.toString());
    }

    @Test void aReceiverThatIsDownLosesNoPayment() throws Exception {
        serve("");
        receiver.stop(0);
        var created = pay("order-1", "{\"amount\": 1, \"currency\": \"EUR\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(1, count("SELECT count(*) FROM payments"));
        assertEquals(1, count("SELECT count(*) FROM events WHERE response_status IS NULL AND failure IS NOT NULL"));
        var read = send("GET", created.headers().firstValue("Location").orElseThrow(), null, Map.of("Authorization", ACME));
        assertEquals(created.body(), read.body());
        assertNull(received.poll());
    }
}

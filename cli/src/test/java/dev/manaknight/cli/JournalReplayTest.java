package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a load over examples/users, examples/ledger and examples/payments — every kind of
 * route, 4xx answers, rollbacks (a duplicate email, an overdraft in a batch), a broken memory
 * limit, outbound calls to a local receiver and idempotent replays — recorded by a
 * real `serve` process, verified and replayed by the command line: the same program answers
 * every request byte for byte as it did; a program changed in one handler differs in exactly
 * the requests that handler answered; one that queries differently is stopped at the call; one
 * flipped byte makes `journal verify` name the record.
 */
class JournalReplayTest {
    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One request sent: what it was, its id, its status, its Location header (or null). */
    record Sent(String what, String id, int status, String location) {}

    private void copyExample(String name) throws IOException {
        Path source = GuideTest.ROOT.resolve("examples").resolve(name);
        try (Stream<Path> s = Files.walk(source)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                String file = p.getFileName().toString();
                if (file.endsWith(".db") || file.contains(".db-")) continue;
                Path to = dir.resolve(name).resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        Files.writeString(dir.resolve(name).resolve("manaknight.toml"), "\n[journal]\npath = \"journal\"\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    private Sent send(int port, String method, String path, String json, int expected) throws Exception {
        return send(port, method, path, json, Map.of(), expected);
    }

    private Sent send(int port, String method, String path, String json, Map<String, String> headers, int expected)
            throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), method + " " + path + ": " + r.body());
        return new Sent(method + " " + path, r.headers().firstValue("X-Request-Id").orElseThrow(), r.statusCode(),
                r.headers().firstValue("Location").orElse(null));
    }

    private Map<String, Sent> loadUsers(Shell sh) throws Exception {
        int port = Shell.freePort();
        sh.start("./manaknight serve users --port " + port, l -> l.contains("listening on"));
        var sent = new LinkedHashMap<String, Sent>();
        sent.put("ada", send(port, "GET", "/users/1", null, 200));
        sent.put("grace", send(port, "GET", "/users/2", null, 200));
        sent.put("unknown", send(port, "GET", "/users/999", null, 404));
        sent.put("bad id", send(port, "GET", "/users/abc", null, 400));
        sent.put("list", send(port, "GET", "/users?limit=2", null, 200));
        sent.put("create", send(port, "POST", "/users", "{\"name\":\"Edsger\",\"email\":\"edsger@example.com\"}", 201));
        sent.put("blank", send(port, "POST", "/users", "{\"name\":\"  \",\"email\":\"b@example.com\"}", 422));
        sent.put("duplicate", send(port, "POST", "/users", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}", 500));
        sent.put("created", send(port, "GET", "/users/4", null, 200));
        sent.put("bad body", send(port, "POST", "/users", "{\"name\":1}", 400));
        sent.put("no route", send(port, "GET", "/nowhere", null, 404));
        sent.put("no method", send(port, "DELETE", "/users/1", null, 405));
        sh.stopServers(); // SIGTERM: drains, and the journal writes what it holds
        return sent;
    }

    private Map<String, Sent> loadLedger(Shell sh) throws Exception {
        int port = Shell.freePort();
        sh.start("./manaknight serve ledger --port " + port, l -> l.contains("listening on"));
        var sent = new LinkedHashMap<String, Sent>();
        String t = "{\"fromId\":%d,\"toId\":%d,\"amountCents\":%d}";
        sent.put("accounts", send(port, "GET", "/accounts", null, 200));
        sent.put("transfer", send(port, "POST", "/transfers", t.formatted(1, 2, 100), 201));
        sent.put("frozen", send(port, "POST", "/transfers", t.formatted(3, 1, 100), 409));
        sent.put("overdraft", send(port, "POST", "/transfers", t.formatted(2, 1, 1_000_000_000), 409));
        sent.put("batch rolled back", send(port, "POST", "/transfers/batch",
                "[" + t.formatted(1, 2, 5) + "," + t.formatted(2, 1, 1_000_000_000) + "]", 409));
        sent.put("batch", send(port, "POST", "/transfers/batch", "[" + t.formatted(1, 2, 5) + "," + t.formatted(2, 1, 7) + "]",
                201));
        sent.put("memory limit", send(port, "POST", "/transfers/batch",
                "[" + String.join(",", java.util.Collections.nCopies(1400, t.formatted(1, 2, 1))) + "]", 500));
        sent.put("a transfer", send(port, "GET", "/transfers/1", null, 200));
        sent.put("bad limit", send(port, "GET", "/accounts/1/transfers?limit=0", null, 422));
        sent.put("freeze", send(port, "PUT", "/accounts/2/freeze", null, 200));
        sent.put("openapi", send(port, "GET", "/openapi.json", null, 200));
        sent.put("new account", send(port, "POST", "/accounts", "{\"owner\":\"Alan\",\"openingCents\":10}", 201));
        sent.put("no owner", send(port, "POST", "/accounts", "{\"owner\":\"\",\"openingCents\":10}", 422));
        sh.stopServers();
        return sent;
    }

    /** The journal's key for the payments load: its requests carry `Authorization`, sealed with it. */
    private static final String JOURNAL_KEY = "env MANAKNIGHT_JOURNAL_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= ";

    /**
     * The payments example, its events sent to a receiver of the test's own: the outbound calls,
     * and the clock and random values in each payment's id and time, are recorded and replayed;
     * the merchants' API keys are sealed in the journal and opened by replay with the same key.
     */
    private Map<String, Sent> loadPayments(Shell sh) throws Exception {
        var receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/payment-events", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try {
            replace(dir.resolve("payments/manaknight.toml"), "http://127.0.0.1:9090",
                    "http://127.0.0.1:" + receiver.getAddress().getPort());
            int port = Shell.freePort();
            sh.start(JOURNAL_KEY + "./manaknight serve payments --port " + port, l -> l.contains("listening on"));
            var sent = new LinkedHashMap<String, Sent>();
            var acme = Map.of("Authorization", "Bearer sk_test_acme", "Idempotency-Key", "order-1");
            String order = "{\"amount\": 12.50, \"currency\": \"EUR\", \"description\": \"Order 1\"}";
            Sent created = send(port, "POST", "/payments", order, acme, 201);
            sent.put("create", created);
            sent.put("same key", send(port, "POST", "/payments", order, acme, 201));
            sent.put("key reused", send(port, "POST", "/payments", order.replace("12.50", "13"), acme, 422));
            sent.put("no key", send(port, "POST", "/payments", order, Map.of("Authorization", "Bearer sk_test_acme"), 400));
            sent.put("no bearer", send(port, "POST", "/payments", order, Map.of("Idempotency-Key", "k"), 401));
            sent.put("invalid", send(port, "POST", "/payments", "{\"amount\": 0.001, \"currency\": \"eu\"}", acme, 400));
            String location = created.location();
            sent.put("read", send(port, "GET", location, null, Map.of("Authorization", "Bearer sk_test_acme"), 200));
            sent.put("theirs", send(port, "GET", location, null, Map.of("Authorization", "Bearer sk_test_globex"), 404));
            String event = "{\"id\": \"evt_1\", \"type\": \"payment.succeeded\", \"payment\": \""
                    + location.substring("/payments/".length()) + "\"}";
            sent.put("webhook", send(port, "POST", "/webhooks/provider", event,
                    Map.of("X-Signature", "sha256=" + hmacSha256("whsec_test", event)), 204));
            sent.put("forged", send(port, "POST", "/webhooks/provider", event, Map.of("X-Signature", "sha256=00"), 401));
            sh.stopServers();
            return sent;
        } finally {
            receiver.stop(0);
        }
    }

    @Test void aRecordedLoadReplaysIdenticallyAndAChangeIsNamed() throws Exception {
        copyExample("users");
        copyExample("ledger");
        copyExample("payments");
        try (var sh = new Shell(dir)) {
            Map<String, Sent> users = loadUsers(sh);
            Map<String, Sent> ledger = loadLedger(sh);
            Map<String, Sent> payments = loadPayments(sh);

            for (String app : List.of("users", "ledger", "payments")) {
                var v = sh.run("./manaknight journal verify " + app + "/journal");
                assertEquals(0, v.exit(), v.output());
                int n = (switch (app) {
                    case "users" -> users;
                    case "ledger" -> ledger;
                    default -> payments;
                }).size();
                assertTrue(v.output().matches("(?s)[0-9a-z]{10}: " + n + " records in 1 segment, chain intact, ending in [0-9a-f]{64}\n"), v.output());
                String env = app.equals("payments") ? JOURNAL_KEY : "";
                var r = sh.run(env + "./manaknight replay " + app + "/journal --app " + app);
                assertEquals(0, r.exit(), r.output());
                assertEquals(n + " replayed, " + n + " identical, 0 differ\n", r.output());
            }

            // One record by its id, none from a time after the load; `show` prints that record's calls.
            String ada = users.get("ada").id();
            var one = sh.run("./manaknight replay users/journal --app users --id " + ada);
            assertEquals("1 replayed, 1 identical, 0 differ\n", one.output());
            var none = sh.run("./manaknight replay users/journal --app users --since 2999-01-01T00:00:00Z");
            assertEquals(65, none.exit(), none.output()); // nothing compared is no success
            assertEquals("0 replayed, 0 identical, 0 differ\nmanaknight: nothing replayed: no record in users/journal from "
                    + "2999-01-01T00:00:00Z on\n", none.output());
            var nope = sh.run("./manaknight replay users/journal --app users --id nope");
            assertEquals(65, nope.exit(), nope.output());
            assertTrue(nope.output().endsWith("manaknight: no record nope in users/journal\n"), nope.output());
            var shown = sh.run("./manaknight journal show users/journal --id " + ada);
            assertEquals(0, shown.exit(), shown.output());
            assertTrue(shown.output().startsWith(ada + "  "), shown.output());
            assertTrue(shown.output().contains("  GET /users/1  (GET /users/:id)\n"), shown.output());
            assertTrue(shown.output().contains("\n    db.findUser(1) -> some(User { id: 1, name: \"Ada Lovelace\", "), shown.output());
            assertTrue(shown.output().contains("\n  response 200\n"), shown.output());

            // One handler changed (GET /users/:id answers a header more): exactly the requests it answered with a user differ.
            Path changed = copyApp("users", "users-v2");
            replace(changed.resolve("users.mnk"), "some(user) -> respond json(user)",
                    "some(user) -> respond json(user) headers { \"X-Version\": \"2\" }");
            var r = sh.run("./manaknight replay users/journal --app users-v2");
            assertEquals(1, r.exit(), r.output());
            assertTrue(r.output().endsWith(users.size() + " replayed, " + (users.size() - 3) + " identical, 3 differ\n"), r.output());
            assertEquals(ids(users, "ada", "grace", "created"), idsIn(r.output()), r.output());
            assertTrue(r.output().contains(users.get("ada").id() + " GET /users/1 (GET /users/:id): headers [X-Version: 2, "
                    + "Content-Type: application/json, X-Request-Id: " + users.get("ada").id() + "], recorded [Content-Type: "
                    + "application/json, X-Request-Id: " + users.get("ada").id() + "]\n"), r.output());

            // A handler that queries differently is stopped at the call and told where.
            Path diverging = copyApp("users", "users-v3");
            replace(diverging.resolve("users.mnk"), "  let user = db.createUser(u.name, u.email)",
                    "  let known = db.listUsers(1)\n  let user = db.createUser(u.name, u.email)");
            r = sh.run("./manaknight replay users/journal --app users-v3");
            assertEquals(1, r.exit(), r.output());
            assertEquals(ids(users, "create", "duplicate"), idsIn(r.output()), r.output());
            assertTrue(r.output().contains(users.get("create").id() + " POST /users (POST /users): diverged in "
                    + "POST /users (users.mnk:38) at effect call #1: expected db.createUser(\"Edsger\", \"edsger@example.com\"), "
                    + "got db.listUsers(1)"), r.output());

            // One byte flipped in the middle of a record (the third: line 4, after the segment's own): verify names it.
            Path segment;
            try (Stream<Path> s = Files.list(dir.resolve("ledger/journal"))) {
                segment = s.findFirst().orElseThrow();
            }
            byte[] bytes = Files.readAllBytes(segment);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int at = text.indexOf("\"id\":\"" + ledger.get("frozen").id() + "\"");
            int flip = text.indexOf("\"status\"", at) + 2;
            bytes[flip] ^= 0x20; // "status" -> "Status"
            Files.write(segment, bytes);
            var v = sh.run("./manaknight journal verify ledger/journal");
            assertEquals(65, v.exit(), v.output());
            assertTrue(v.output().contains("-000001.jsonl:4 (record " + ledger.get("frozen").id() + "): its hash does not match its "
                    + "content (changed)"), v.output());
        }
    }

    private static String hmacSha256(String secret, String text) throws Exception {
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Path copyApp(String from, String to) throws IOException {
        Path target = dir.resolve(to);
        Files.createDirectories(target);
        for (String f : List.of("users.mnk", "schema.sql")) Files.copy(dir.resolve(from).resolve(f), target.resolve(f));
        return target;
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), file + " has no " + from);
        Files.writeString(file, text.replace(from, to));
    }

    private static Set<String> ids(Map<String, Sent> sent, String... names) {
        var out = new TreeSet<String>();
        for (String n : names) out.add(sent.get(n).id());
        return out;
    }

    /** The ids that begin the replay's difference lines. */
    private static Set<String> idsIn(String output) {
        var out = new TreeSet<String>();
        Matcher m = Pattern.compile("(?m)^([0-9a-z]{10}-[0-9a-z]+) ").matcher(output);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}

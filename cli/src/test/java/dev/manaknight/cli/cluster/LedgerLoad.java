package dev.manaknight.cli.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A load of the ledger's mixed reads and writes through the balancer: `clients` threads, each on
 * a kept-alive connection of its own, POSTing transfers between random accounts — each with a
 * memo of its own, the write's id, which is also its Idempotency-Key — and GETting accounts, two
 * writes to a read, until stopped. A write whose outcome the answer leaves open (a connection
 * error, any 5xx, a 409 for its key in use) is sent again, unchanged, with
 * the same key, with back-off, until an answer settles it or {@link #RESOLVE_DEADLINE} passes, as a
 * client of the example should (its README). Every attempt is recorded with when it began and
 * ended, so that the test can tell which failures fall in an outage and which writes were answered.
 */
final class LedgerLoad {
    /** An account's opening balance, cents: far more than the transfers can move. */
    static final long OPENING = 1_000_000;
    /** A request not answered by then is a failure (the balancers' own timeouts are 30 s). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);
    /** How long a client sends a write again before it gives up on settling it (the audit then fails). */
    static final Duration RESOLVE_DEADLINE = Duration.ofSeconds(60);
    /** The first pause before a write is sent again; doubled each time, up to {@link #MAX_PAUSE}. */
    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    static final Duration MAX_PAUSE = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request and how it ended: `status` -1 when the connection failed (`detail` says how).
     * A write's `attempt` counts from 1; `replayed` when the answer said `Idempotent-Replayed`;
     * `requestId` the server's X-Request-Id ("" when none came), which names its log lines.
     */
    record Exchange(String method, String memo, int attempt, long startNanos, long endNanos, int status, String detail,
                    long transferId, boolean replayed, String requestId) {
        boolean write() { return memo != null; }

        /**
         * A write's answer that settles it: 201 (applied, this id) or a 4xx but a 409 for its key
         * in use (refused: the key was not taken, so no earlier attempt committed it). Anything else
         * leaves open whether an earlier attempt was applied, even `503 transaction-conflict`, which
         * says only that this attempt kept nothing: the client sends it again.
         */
        boolean settles() {
            return status == 201 || status >= 400 && status < 500 && !keyInUse();
        }

        /** The key's transfer was being made at the same time (a retry raced the request it repeats). */
        boolean keyInUse() { return status == 409 && detail.contains("was made at the same time"); }

        /** The server said that nothing this request did was kept. */
        boolean nothingKept() { return conflict() || keyInUse() || status == 503 && detail.contains("database-unavailable"); }

        /**
         * The app refused a transfer that lost its race four times (serializable isolation, rolled
         * back): `503 transaction-conflict`. That answer is the app's, not the cluster's.
         */
        boolean conflict() { return status == 503 && detail.contains("transaction-conflict"); }

        /** Anything but the expected answer: a connection error, a 5xx, an unexpected 4xx. */
        boolean failed() { return !conflict() && status != (write() ? 201 : 200); }

        @Override public String toString() {
            return method + (memo == null ? "" : " " + memo + " #" + attempt) + ": " + (status < 0 ? "connection error" : status)
                    + (replayed ? " replayed" : "") + " " + detail + (requestId.isEmpty() ? "" : " [" + requestId + "]");
        }
    }

    private final URI base;
    private final String run;
    private final List<Long> accounts;
    private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private LedgerLoad(URI base, String run, List<Long> accounts) {
        this.base = base;
        this.run = run;
        this.accounts = accounts;
    }

    /** Opens `n` accounts of {@link #OPENING} cents through the balancer, owners named after `run`. */
    static LedgerLoad open(URI base, String run, int n) throws Exception {
        var ids = new ArrayList<Long>();
        try (var client = client()) {
            for (int i = 0; i < n; i++) {
                String body = "{\"owner\":\"" + run + "-" + i + "\",\"openingCents\":" + OPENING + "}";
                var r = client.send(post(base.resolve("/accounts"), body), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201) throw new IOException("opening an account: " + r.statusCode() + " " + r.body());
                ids.add(JSON.readTree(r.body()).get("id").asLong());
            }
        }
        return new LedgerLoad(base, run, List.copyOf(ids));
    }

    List<Long> accounts() { return accounts; }

    /** Every memo of this run begins with this. */
    String memoPrefix() { return run + "-"; }

    /** Starts `clients` threads. */
    void start(int clients) {
        for (int n = 0; n < clients; n++) {
            int client = n;
            threads.add(Thread.ofPlatform().name("ledger-load-" + n).start(() -> work(client)));
        }
    }

    /** Stops the clients and waits for their last exchange. */
    List<Exchange> stop() throws InterruptedException {
        stop.set(true);
        // A write being settled is settled first: up to RESOLVE_DEADLINE and its last request.
        for (Thread t : threads) t.join(RESOLVE_DEADLINE.plus(REQUEST_TIMEOUT).toMillis() + 5000);
        return exchanges();
    }

    /** What was exchanged so far. */
    List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    /** Transfers answered 201 that began after `nanos` (System.nanoTime). */
    long writesAnsweredAfter(long nanos) {
        synchronized (exchanges) {
            return exchanges.stream().filter(e -> e.write() && e.status() == 201 && e.startNanos() - nanos > 0).count();
        }
    }

    private void work(int client) {
        var random = new Random(client);
        // A client of its own per thread: one connection, used back to back, never left idle in a
        // pool long enough for the balancer's keep-alive timeout to close it under a request.
        try (var http = client()) {
            for (int k = 1; !stop.get(); k++) {
                boolean write = k % 3 != 0;
                if (write) {
                    int from = random.nextInt(accounts.size());
                    int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
                    String memo = run + "-c" + client + "-" + k;
                    settle(http, memo, "{\"fromId\":" + accounts.get(from) + ",\"toId\":" + accounts.get(to)
                            + ",\"amountCents\":" + (1 + random.nextInt(500)) + ",\"memo\":\"" + memo + "\"}");
                } else {
                    var request = HttpRequest.newBuilder(base.resolve("/accounts/" + accounts.get(random.nextInt(accounts.size()))))
                            .timeout(REQUEST_TIMEOUT).build();
                    exchanges.add(exchange(http, request, null, 0));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One transfer, its memo its Idempotency-Key, sent until an answer settles it or RESOLVE_DEADLINE passes. */
    private void settle(HttpClient http, String memo, String body) throws InterruptedException {
        var request = HttpRequest.newBuilder(base.resolve("/transfers")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").header("Idempotency-Key", memo)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long deadline = System.nanoTime() + RESOLVE_DEADLINE.toNanos();
        long pause = FIRST_PAUSE.toMillis();
        for (int attempt = 1; ; attempt++) {
            Exchange e = exchange(http, request, memo, attempt);
            exchanges.add(e);
            if (e.settles() || System.nanoTime() - deadline > 0) return;
            Thread.sleep(pause);
            pause = Math.min(pause * 2, MAX_PAUSE.toMillis());
        }
    }

    private static Exchange exchange(HttpClient http, HttpRequest request, String memo, int attempt) {
        long start = System.nanoTime();
        try {
            var r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long id = -1;
            if (memo != null && r.statusCode() == 201) id = JSON.readTree(r.body()).get("id").asLong();
            String detail = r.statusCode() >= 400 ? abbreviate(r.body()) : "";
            boolean replayed = r.headers().firstValue("Idempotent-Replayed").isPresent();
            String requestId = r.headers().firstValue("X-Request-Id").orElse("");
            return new Exchange(request.method(), memo, attempt, start, System.nanoTime(), r.statusCode(), detail, id, replayed,
                    requestId);
        } catch (IOException e) {
            return new Exchange(request.method(), memo, attempt, start, System.nanoTime(), -1, String.valueOf(e), -1, false, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange(request.method(), memo, attempt, start, System.nanoTime(), -1, "interrupted", -1, false, "");
        }
    }

    private static String abbreviate(String s) { return s.length() <= 200 ? s : s.substring(0, 200) + "…"; }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest post(URI uri, String json) {
        return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** Counts by outcome, for the report: `201`, `201 replayed`, `503 transaction-conflict`, `connection error`… */
    static Map<String, Long> counts(List<Exchange> exchanges) {
        var m = new java.util.TreeMap<String, Long>();
        for (Exchange e : exchanges) {
            String kind = e.status() < 0 ? "connection error"
                    : e.conflict() ? "503 transaction-conflict" : e.replayed() ? "201 replayed"
                    : e.status() == 500 && e.detail().contains("commit-outcome-unknown") ? "500 commit-outcome-unknown"
                    : String.valueOf(e.status());
            m.merge(kind, 1L, Long::sum);
        }
        return m;
    }
}

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
 * memo of its own, the write's id — and GETting accounts, two writes to a read, until stopped.
 * Every exchange is recorded with when it began and ended, so that the test can tell which
 * failures fall in an outage and which writes were answered.
 */
final class LedgerLoad {
    /** An account's opening balance, cents: far more than the transfers can move. */
    static final long OPENING = 1_000_000;
    /** A request not answered by then is a failure (the balancers' own timeouts are 30 s). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request and how it ended: `status` -1 when the connection failed (`detail` says how). */
    record Exchange(String method, String memo, long startNanos, long endNanos, int status, String detail, long transferId) {
        boolean write() { return memo != null; }

        /**
         * The app refused a transfer that lost its race four times (serializable isolation, rolled
         * back): `503 transaction-conflict`. That answer is the app's, not the cluster's.
         */
        boolean conflict() { return status == 503 && detail.contains("transaction-conflict"); }

        /** Anything but the expected answer: a connection error, a 5xx, an unexpected 4xx. */
        boolean failed() { return !conflict() && status != (write() ? 201 : 200); }

        @Override public String toString() {
            return method + (memo == null ? "" : " " + memo) + ": " + (status < 0 ? "connection error" : status) + " " + detail;
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
        for (Thread t : threads) t.join(REQUEST_TIMEOUT.toMillis() + 5000);
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
                String memo = write ? run + "-c" + client + "-" + k : null;
                HttpRequest request;
                if (write) {
                    int from = random.nextInt(accounts.size());
                    int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
                    request = post(base.resolve("/transfers"), "{\"fromId\":" + accounts.get(from) + ",\"toId\":"
                            + accounts.get(to) + ",\"amountCents\":" + (1 + random.nextInt(500)) + ",\"memo\":\"" + memo + "\"}");
                } else {
                    request = HttpRequest.newBuilder(base.resolve("/accounts/" + accounts.get(random.nextInt(accounts.size()))))
                            .timeout(REQUEST_TIMEOUT).build();
                }
                exchanges.add(exchange(http, request, memo));
            }
        }
    }

    private static Exchange exchange(HttpClient http, HttpRequest request, String memo) {
        long start = System.nanoTime();
        try {
            var r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long id = -1;
            if (memo != null && r.statusCode() == 201) id = JSON.readTree(r.body()).get("id").asLong();
            String detail = r.statusCode() >= 400 ? abbreviate(r.body()) : "";
            return new Exchange(request.method(), memo, start, System.nanoTime(), r.statusCode(), detail, id);
        } catch (IOException e) {
            return new Exchange(request.method(), memo, start, System.nanoTime(), -1, String.valueOf(e), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange(request.method(), memo, start, System.nanoTime(), -1, "interrupted", -1);
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

    /** Counts by outcome, for the report: `201`, `503 transaction-conflict`, `connection error`… */
    static Map<String, Long> counts(List<Exchange> exchanges) {
        var m = new java.util.TreeMap<String, Long>();
        for (Exchange e : exchanges) {
            String kind = e.status() < 0 ? "connection error"
                    : e.conflict() ? "503 transaction-conflict" : String.valueOf(e.status());
            m.merge(kind, 1L, Long::sum);
        }
        return m;
    }
}

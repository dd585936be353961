package dev.manaknight.fcgi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A bounded HTTP load loop for integration tests: `threads` clients (keep-alive each) send GETs
 * until stopped; every answer must be 200, anything else is recorded as a failure.
 */
final class Load implements AutoCloseable {
    final AtomicLong ok = new AtomicLong();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads;

    /** @param uri request i's URI (each thread counts its own i) */
    Load(int threads, IntFunction<String> uri) {
        this.threads = java.util.stream.IntStream.range(0, threads).mapToObj(t -> Thread.ofPlatform().start(() -> {
            var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; running.get(); i++) {
                String u = uri.apply(i);
                try {
                    var res = client.send(HttpRequest.newBuilder(URI.create(u)).timeout(Duration.ofSeconds(20)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (res.statusCode() == 200) ok.incrementAndGet();
                    else failures.add(u + " -> " + res.statusCode() + " " + res.body());
                } catch (Exception e) {
                    failures.add(u + " -> " + e);
                }
            }
        })).toList();
    }

    /** Stops issuing requests and waits for those in flight. */
    @Override public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) t.join();
    }
}

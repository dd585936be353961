package dev.manaknight.runtime.effects;

import dev.manaknight.lang.vm.Host.EffectFailure;
import dev.manaknight.runtime.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * `http.send` over the network with the JDK's {@link HttpClient}, within {@link OutboundPolicy}.
 *
 * <p>A call: the URL's origin must be allowed; its host is resolved here, on a platform thread,
 * and every address checked; then the request goes out. A plain `http` request goes to the
 * address that was checked, not to a second lookup of the name (which a rebinding DNS server
 * could answer with an internal address): the client is told to use that address as the
 * request's proxy, so it connects there and sends the absolute URL, which an origin server must
 * accept (RFC 9112, 3.2.2). An `https` request connects by name: the certificate must be valid
 * for that name, which an internal host reached by a rebound name cannot show. Redirects are not
 * followed (the next hop would escape the check). The response body is read up to
 * `maxResponse` bytes; past that the call is an `err`.
 *
 * <p>The request's virtual thread only waits (a future's `get`): the lookup runs on this class's
 * platform threads and the client's I/O on its own, so no carrier is held while the far side is slow.
 */
public final class HttpOutbound implements Outbound {
    private final OutboundPolicy policy;
    private final Duration timeout;
    private final long maxResponse;
    /** Platform threads: the name lookups (a native call) and the client's completions. */
    private final ExecutorService threads;
    private final HttpClient client;
    /** `host:port` of a plain-http origin → the address last checked for it; only checked addresses get in. */
    private final Map<String, InetSocketAddress> pins = new ConcurrentHashMap<>();
    private final Resolver resolver;

    /** A host's addresses: the system's lookup, or a test's. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws java.net.UnknownHostException;
    }

    public HttpOutbound(OutboundPolicy policy, Duration timeout, long maxResponse) {
        this(policy, timeout, maxResponse, InetAddress::getAllByName);
    }

    public HttpOutbound(OutboundPolicy policy, Duration timeout, long maxResponse, Resolver resolver) {
        this.resolver = resolver;
        this.policy = policy;
        this.timeout = timeout;
        this.maxResponse = maxResponse;
        this.threads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("manaknight-http-", 1).factory());
        this.client = HttpClient.newBuilder().executor(threads).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).proxy(new Pinned()).connectTimeout(timeout).build();
    }

    public static HttpOutbound of(Config.Http c) {
        return new HttpOutbound(OutboundPolicy.of(c.allowedHosts(), c.allowPrivate()), c.timeout(), c.maxResponse());
    }

    @Override public Result send(Call call, long deadlineNanos, Stop stop) throws EffectFailure {
        URI url = call.url();
        String why = policy.refusal(url);
        if (why != null) throw new EffectFailure(EffectFailure.OUTBOUND_REFUSED, "http.send: " + why);
        long start = System.nanoTime();
        boolean deadlineFirst = deadlineNanos - (start + timeout.toNanos()) <= 0;
        long end = deadlineFirst ? deadlineNanos : start + timeout.toNanos();
        String host = OutboundPolicy.bare(url.getHost());
        Future<InetAddress[]> lookup = threads.submit(() -> resolver.resolve(host));
        InetAddress[] addresses;
        try {
            addresses = await(lookup, end, deadlineFirst, stop);
        } catch (Failed f) {
            return new Result.Failure("http.send: " + host + ": " + f.getMessage());
        }
        why = policy.refusal(host, List.of(addresses));
        if (why != null) throw new EffectFailure(EffectFailure.OUTBOUND_REFUSED, "http.send: " + why);
        OutboundPolicy.Origin origin = OutboundPolicy.Origin.of(url);
        if (origin.scheme().equals("http"))
            pins.put(key(origin.host(), origin.port()), new InetSocketAddress(addresses[0], origin.port()));
        HttpRequest request;
        try {
            var b = HttpRequest.newBuilder(url).timeout(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            b.method(call.method(), call.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
            for (var h : call.headers().entrySet()) b.header(h.getKey(), h.getValue());
            request = b.build();
        } catch (IllegalArgumentException e) { // a method or header the client refuses (Host, Content-Length, …)
            throw new EffectFailure("http", "http.send: " + e.getMessage());
        }
        CompletableFuture<HttpResponse<byte[]>> sent = client.sendAsync(request, info -> new Capped(maxResponse));
        HttpResponse<byte[]> response;
        try {
            response = await(sent, end, deadlineFirst, stop);
        } catch (Failed f) {
            return new Result.Failure("http.send: " + call.method() + " " + url + ": " + f.getMessage());
        }
        var headers = new ArrayList<Map.Entry<String, String>>();
        response.headers().map().forEach((name, values) ->
                headers.add(Map.entry(name.toLowerCase(Locale.ROOT), String.join(", ", values))));
        return new Result.Answer(response.statusCode(), headers, new String(response.body(), StandardCharsets.UTF_8));
    }

    /** A wait that ended the call without failing the request: the app gets it as `err`. */
    private static final class Failed extends Exception {
        Failed(String message) { super(message, null, false, false); }
    }

    /**
     * Waits for `f` until `end`: past the call's own timeout it is a {@link Failed}; past the
     * request's deadline, or stopped, the request fails.
     */
    private <T> T await(Future<T> f, long end, boolean deadlineFirst, Stop stop) throws EffectFailure, Failed {
        stop.waitFor(f);
        try {
            return f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            if (deadlineFirst) throw new EffectFailure("timeout", "http.send: the request's deadline passed while it waited");
            throw new Failed("no answer within http.timeout (" + timeout.toMillis() + "ms)");
        } catch (CancellationException e) {
            throw new EffectFailure("timeout", "http.send: the request was stopped while it waited");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new EffectFailure("timeout", "http.send: interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while ((c instanceof java.util.concurrent.CompletionException || c instanceof IOException) && c.getCause() != null
                    && !(c instanceof TooLarge)) c = c.getCause();
            if (c instanceof java.net.http.HttpTimeoutException) {
                if (deadlineFirst) throw new EffectFailure("timeout", "http.send: the request's deadline passed while it waited");
                throw new Failed("no answer within http.timeout (" + timeout.toMillis() + "ms)");
            }
            String what = c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
            throw new Failed(c instanceof java.net.UnknownHostException ? "no such host" : what);
        } finally {
            stop.waitFor(null);
        }
    }

    private static String key(String host, int port) { return host + ":" + port; }

    /** Plain-http requests go to their origin's checked address (as a proxy); https ones connect by name. */
    private final class Pinned extends ProxySelector {
        /** Where a request without a pin goes: an address no lookup answers, so it fails instead of going unchecked. */
        private static final InetSocketAddress NOWHERE = InetSocketAddress.createUnresolved("unchecked.invalid", 9);

        @Override public List<Proxy> select(URI uri) {
            if (!"http".equalsIgnoreCase(uri.getScheme())) return List.of(Proxy.NO_PROXY);
            var o = OutboundPolicy.Origin.of(uri);
            InetSocketAddress pin = pins.get(key(o.host(), o.port()));
            return List.of(new Proxy(Proxy.Type.HTTP, pin != null ? pin : NOWHERE));
        }

        @Override public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
    }

    /** A response body too long for `http.max_response`. */
    private static final class TooLarge extends IOException {
        TooLarge(long limit) { super("the response body is longer than http.max_response (" + limit + " bytes)", null); }
    }

    /** Collects a body up to `limit` bytes; one byte more cancels the stream and fails the call. */
    private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Capped(long limit) { this.limit = limit; }

        @Override public CompletionStage<byte[]> getBody() { return result; }

        @Override public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (result.isDone()) return;
                if (bytes.size() + (long) b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge(limit));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override public void onError(Throwable t) { result.completeExceptionally(t); }

        @Override public void onComplete() { result.complete(bytes.toByteArray()); }
    }

    @Override public void close() {
        client.shutdownNow();
        threads.shutdownNow();
    }
}

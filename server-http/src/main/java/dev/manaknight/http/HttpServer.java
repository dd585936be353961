package dev.manaknight.http;

import dev.manaknight.netty.Endpoint;
import dev.manaknight.netty.Transport;
import dev.manaknight.runtime.BodyBudget;
import dev.manaknight.runtime.ConnectionCount;
import dev.manaknight.runtime.ConnectionLimit;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.DeploymentSlot;
import dev.manaknight.runtime.InFlight;
import dev.manaknight.runtime.config.Config;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `serve`: HTTP/1.1 on Netty, a codec around a {@link Deployment}: a pipeline of small handlers
 * turns bytes into a `Request` and a `Reply` back into bytes; the deployment does the rest. The
 * handlers hold a {@link DeploymentSlot}, so that `dev` can swap the program under a running server.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    /** Request line and header limits: generous for APIs, small enough to bound a bad client. */
    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADER_BYTES = 16384;
    /** The largest part of a body the decoder hands on at once; the aggregator joins them up to `limits.body`. */
    static final int MAX_CHUNK = 8192;
    /** Connections refused past max_connections that may linger at once to deliver their 503. */
    static final int REFUSED_LINGERING = 64;

    /**
     * The socket side of `serve`; the request side is the deployment's config.
     *
     * @param ioThreads      event-loop threads
     * @param maxConnections connections open at once; past it a new one is answered 503 ({@link ConnectionGuard})
     * @param idleTimeout    the longest wait for a whole request head, or between two parts of a body
     * @param transport      `auto`, `io_uring`, `epoll` or `nio` ({@link Transport#choose})
     */
    public record Options(String host, int port, int ioThreads, int maxConnections, Duration idleTimeout,
                          Duration drainTimeout, String transport) {
        /** What the configuration says (`server.*`). */
        public static Options of(Config cfg) {
            var s = cfg.server();
            return new Options(s.host(), s.port(), s.ioThreads(Runtime.getRuntime().availableProcessors()),
                    ConnectionLimit.of(cfg), s.idleTimeout(), s.drainTimeout(), s.transport());
        }
    }

    private final DeploymentSlot app;
    private final Endpoint endpoint;
    private final Options options;
    private final ConnectionCount connections;
    private final BodyBudget bodies;
    private final ProbeAnswers probes;
    private volatile boolean stopped;
    /** What the stop's drain did (tests), or null before. */
    private volatile dev.manaknight.netty.DrainTally.Report drainReport;

    private HttpServer(DeploymentSlot app, Endpoint endpoint, Options options, ConnectionCount connections, BodyBudget bodies,
                       ProbeAnswers probes) {
        this.probes = probes;
        this.app = app;
        this.endpoint = endpoint;
        this.options = options;
        this.connections = connections;
        this.bodies = bodies;
    }

    /**
     * Binds and returns once the server accepts connections (port 0 picks a free one), after a
     * few requests to itself have loaded the pipeline's classes.
     */
    public static HttpServer start(Deployment app, Options o) throws InterruptedException {
        return start(app, o, new ServeMetrics());
    }

    /**
     * The same, with the metrics that `app` was opened with as its observer (`server.metrics_path`
     * shows them).
     */
    public static HttpServer start(Deployment app, Options o, ServeMetrics metrics) throws InterruptedException {
        return start(new DeploymentSlot(app), o, metrics);
    }

    /**
     * The same over a slot whose deployment may be swapped while the server runs (`dev`); the
     * server's own limits (body budget, probes, connections) are those of the first deployment.
     */
    public static HttpServer start(DeploymentSlot slot, Options o, ServeMetrics metrics) throws InterruptedException {
        Deployment app = slot.current();
        String warmupToken = SelfWarmup.newToken();
        var connections = new ConnectionCount(o.maxConnections(), "answered 503");
        var refusedLinger = new LingerBudget(REFUSED_LINGERING);
        var bodies = new BodyBudget(app.config().server().bodyBudget(Runtime.getRuntime().maxMemory(), app.config().limits().body()));
        var probes = new ProbeAnswers(slot, metrics, connections, bodies);
        Transport transport = Transport.choose(o.transport());
        Endpoint endpoint = Endpoint.bind(transport, o.ioThreads(), new InetSocketAddress(o.host(), o.port()), false,
                c -> initChannel(c, slot, connections, refusedLinger, bodies, probes, o.idleTimeout(), warmupToken));
        LOG.info("transport {}, {} event loop(s), at most {} connections",
                transport.name().toLowerCase(java.util.Locale.ROOT), o.ioThreads(), o.maxConnections());
        var server = new HttpServer(slot, endpoint, o, connections, bodies, probes);
        SelfWarmup.run(server.address(), warmupToken);
        return server;
    }

    /**
     * One connection's pipeline, in the order bytes go in: decode (with a brake), check the head,
     * guard the connection's limits, pay for the body, keep-alive, aggregate the body, bound the
     * pipelined requests, hand each to the deployment. Replies go out the other way through the same
     * handlers.
     */
    static void initChannel(Channel c, DeploymentSlot app, ConnectionCount connections, LingerBudget refusedLinger,
                            BodyBudget bodies, ProbeAnswers probes, Duration idleTimeout, String warmupToken) {
        int bodyLimit = (int) Math.min(Integer.MAX_VALUE, app.current().config().limits().body());
        var decoder = new RequestDecoder(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK);
        c.pipeline()
                .addLast("decoder", decoder)
                .addLast("encoder", new HttpResponseEncoder())
                .addLast("head-check", new HeadCheck(decoder))
                .addLast("guard", new ConnectionGuard(app, connections, refusedLinger, idleTimeout))
                .addLast("bodies", new BodyBudgetGuard(app, bodies))
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                .addLast("aggregate", new BodyLimitAggregator(bodyLimit, app))
                .addLast("pipeline-limit", new PipelineLimit(decoder))
                .addLast("core", new CoreHandler(app, probes, warmupToken));
    }

    /**
     * Fails with the address and the reason when `host:port` cannot be listened on (in use, not
     * this machine's, not allowed): checked before anything else starts. Port 0 is always free.
     */
    public static void checkFree(String host, int port) throws java.io.IOException {
        Endpoint.checkFree(host, port, false);
    }

    /** The app's routes that `server.health_path`, `ready_path` or `metrics_path` would hide. */
    public static java.util.List<String> probeCollisions(Deployment app) { return ProbeAnswers.collisions(app); }

    public InetSocketAddress address() { return (InetSocketAddress) endpoint.listener().localAddress(); }

    /** `http://host:port` as bound. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    public Deployment deployment() { return app.current(); }

    /** Where the server finds its deployment; swapping it reloads the program. */
    public DeploymentSlot slot() { return app; }

    /** The transport in use. */
    public Transport transport() { return endpoint.transport(); }

    /** What the stop's drain did, or null before it ended. */
    dev.manaknight.netty.DrainTally.Report drainReport() { return drainReport; }

    /** Request bodies held now against `server.body_budget`. */
    BodyBudget bodies() { return bodies; }

    /** Open connections against the limit, and those refused or closed by the idle timeout. */
    ConnectionCount connections() { return connections; }

    /**
     * Graceful stop: readiness turns 503 and every answer from now on says `Connection: close`;
     * after `drain_delay` stop accepting; every connection finishes the requests it has read and
     * closes after its last answer (an idle one after its grace); requests still running after
     * the drain timeout are stopped. The stop line counts what the drain did. Idempotent.
     *
     * @return true when every in-flight request finished in time
     */
    public synchronized boolean stop() throws InterruptedException {
        if (stopped) return true;
        stopped = true;
        // Readiness says 503 first; a load balancer probing it stops sending before the listener closes.
        // From then on every answer says `Connection: close`, so the balancer's keep-alive connections
        // end cleanly after their next answer; idle ones stay open until the delay has passed.
        probes.drain();
        Duration delay = app.current().config().server().probes().drainDelay();
        endpoint.beginDrain(delay);
        if (!delay.isZero()) {
            LOG.info("stopping: not ready; the listener closes in {} ms (server.drain_delay)", delay.toMillis());
            Thread.sleep(delay.toMillis());
        }
        endpoint.closeListener();
        // The admission is shared by every deployment the slot held (`dev` opens each with it).
        var drain = endpoint.drain(app.current().admission(), options.drainTimeout(),
                () -> app.current().stopAll(InFlight.Stop.DRAIN),
                Duration.ofSeconds(1));
        drainReport = drain;
        endpoint.close();
        // `serve` has no status page: what the drain and the connection limits did is said once, here.
        LOG.info("stopped: {}; {} connections accepted, {} refused past server.max_connections, {} idle ones closed to "
                + "make room for new ones, {} closed by server.idle_timeout", drain.line(), connections.accepted(),
                connections.refused(), connections.shed(), connections.idleClosed());
        return drain.inTime();
    }

    @Override public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

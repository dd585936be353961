package dev.manaknight.netty;

import dev.manaknight.runtime.Admission;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A server's Netty side, the same for `serve` and `fpm`: event loops on the chosen
 * {@link Transport}, one listening channel, the connections it accepted, and the graceful stop.
 *
 * <p>Loops: with one loop, that loop also accepts, so a connection is registered where it was
 * accepted, at once; a separate acceptor hands every new connection to another thread (an
 * eventfd write and a wake-up per connection: with a connection per request, 18 % of `fpm`'s
 * CPU per /hello, bench/RESULTS.md §7). With several loops most connections go to another loop
 * anyway, and a dedicated acceptor measured slightly better, so several loops keep one.
 */
public final class Endpoint implements AutoCloseable {
    /** Connections a listener keeps queued before the kernel refuses more. */
    static final int BACKLOG = 1024;
    /** At most this long for the acceptor to take the connections queued when the listener closes. */
    static final Duration QUEUE_DRAIN = Duration.ofSeconds(2);

    private final Transport transport;
    private final EventLoopGroup io;
    private final EventLoopGroup acceptor;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile Channel listener;
    /** Set once a drain began: connections accepted later drain from the start. */
    private volatile DrainTally tally;
    /** While draining: when (System.nanoTime) idle connections may close, the earliest. */
    private volatile long idleUntil;

    private Endpoint(Transport transport, int loops) {
        this.transport = transport;
        this.io = new MultiThreadIoEventLoopGroup(loops, transport.ioHandlers());
        this.acceptor = loops == 1 ? io : new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
    }

    /**
     * Binds `address` (a TCP address, or {@link Transport#unixAddress}) and returns once it
     * accepts; `init` sets up each accepted connection's pipeline. On failure nothing is left running.
     *
     * @param reusePort SO_REUSEPORT on a TCP listener, so that a `--graceful` successor can bind beside it
     */
    public static Endpoint bind(Transport transport, int loops, SocketAddress address, boolean reusePort,
                                Consumer<Channel> init) throws InterruptedException {
        var e = new Endpoint(transport, loops);
        try {
            ChannelHandler initializer = new ChannelInitializer<>() {
                @Override protected void initChannel(Channel c) {
                    e.connections.add(c);
                    init.accept(c);
                    if (e.tally != null) e.tell(c); // accepted during drain_delay: drains from its first request
                }
            };
            var b = new ServerBootstrap().group(e.acceptor, e.io).channel(transport.serverChannel(isUnix(address)))
                    .option(ChannelOption.SO_BACKLOG, BACKLOG).childHandler(initializer);
            if (!isUnix(address)) {
                b.childOption(ChannelOption.TCP_NODELAY, true);
                if (reusePort) transport.reusePort(b);
            }
            e.listener = b.bind(address).sync().channel();
            return e;
        } catch (InterruptedException | RuntimeException ex) {
            e.shutdownLoops();
            throw ex;
        }
    }

    /**
     * Fails with the address and the reason when `host:port` cannot be listened on (in use, not
     * this machine's, not allowed): servers check before they open their database, so a taken
     * port is said at once. Port 0 is always free.
     *
     * @param reusePort probe with SO_REUSEPORT, as a `--graceful` successor binds beside its predecessor
     */
    public static void checkFree(String host, int port, boolean reusePort) throws java.io.IOException {
        if (port == 0) return;
        try (var probe = new java.net.ServerSocket()) {
            if (reusePort && probe.supportedOptions().contains(java.net.StandardSocketOptions.SO_REUSEPORT))
                probe.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.io.IOException e) {
            throw new java.io.IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private static boolean isUnix(SocketAddress a) {
        return a instanceof java.net.UnixDomainSocketAddress || a instanceof io.netty.channel.unix.DomainSocketAddress;
    }

    public Transport transport() { return transport; }

    /** The listening channel. */
    public Channel listener() { return listener; }

    /** Connections open now. */
    public int openConnections() { return connections.size(); }

    /**
     * Stops accepting; connections already accepted go on. Returns once every connection accepted
     * before the close is registered on its event loop, and so counted and told to drain: one
     * still on its way there was missed by {@link #drain}, which could end at once, and then closed
     * under the request it had brought (a 502 from nginx as a `serve` stopped: issue 17).
     */
    public void closeListener() {
        // Connections queued in the kernel would be reset by the close: shut the door, let the
        // acceptor take who is inside, then close (ListenerGate).
        if (ListenerGate.shut(listener)) {
            long deadline = System.nanoTime() + QUEUE_DRAIN.toNanos();
            while (ListenerGate.queued(listener) > 0 && System.nanoTime() - deadline < 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        // The acceptor handed each accepted connection to its loop as a task before the close
        // completed; a task queued now on every loop runs after those registrations.
        for (EventExecutor loop : io) loop.submit(() -> { }).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * The first part of a graceful stop, before or after {@link #closeListener}: every connection,
     * and every one accepted from now on, is told to drain ({@link Drainable}); idle ones close
     * after `idleGrace` (at least {@link Drainable#IDLE_GRACE}), so that a load balancer that saw
     * readiness turn still finds them open until it stops sending. Idempotent.
     */
    public synchronized void beginDrain(Duration idleGrace) {
        if (tally != null) return;
        idleUntil = System.nanoTime() + Math.max(idleGrace.toNanos(), Drainable.IDLE_GRACE.toNanos());
        tally = new DrainTally();
        for (Channel c : connections) tell(c);
    }

    private void tell(Channel c) {
        long rest = Math.max(idleUntil - System.nanoTime(), Drainable.IDLE_GRACE.toNanos());
        for (var entry : c.pipeline()) {
            if (entry.getValue() instanceof Drainable d) c.eventLoop().execute(() -> d.drain(tally, Duration.ofNanos(rest)));
        }
    }

    /**
     * The rest of the stop, after {@link #closeListener}: up to `timeout` for every admitted
     * request to be answered and every connection to close (a busy one after its last answer,
     * an idle one after its grace). Requests still running then are stopped by `cutOff` and get
     * `grace` more to answer; what is still open after that is closed by {@link #close}.
     */
    public DrainTally.Report drain(Admission admission, Duration timeout, Runnable cutOff, Duration grace)
            throws InterruptedException {
        beginDrain(Duration.ZERO);
        boolean inTime = awaitDrained(admission, timeout);
        int cut = 0;
        if (!inTime) {
            cut = admission.inFlight();
            cutOff.run();
            awaitDrained(admission, grace);
        }
        return tally.report(inTime, cut, connections.size());
    }

    private boolean awaitDrained(Admission admission, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (admission.inFlight() > 0 || !connections.isEmpty()) {
            if (System.nanoTime() - deadline >= 0) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /** Closes every connection and stops the event loops; idempotent. */
    @Override public void close() {
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        shutdownLoops();
    }

    private void shutdownLoops() {
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (acceptor != io) acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}

package dev.manaknight.http;

import dev.manaknight.runtime.Admission;
import dev.manaknight.runtime.ConnectionCount;
import dev.manaknight.runtime.RequestCore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native HTTP/1.1 server on Netty: a pipeline of small handlers in front of the
 * transport-neutral {@link RequestCore}. Epoll where available, NIO otherwise.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    /** Request line and header limits: generous for APIs, small enough to bound a bad client. */
    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADER_BYTES = 16384;
    /** Connections refused past max_connections that may linger at once to deliver their 503. */
    static final int REFUSED_LINGERING = 64;

    /**
     * @param bodyLimit      bytes; larger bodies are answered 413
     * @param ioThreads      event-loop threads (0: Netty's default, 2 × cores)
     * @param maxConnections connections open at once; past it a new one is answered 503 ({@link ConnectionGuard})
     * @param idleTimeout    the longest wait for a whole request head, or between two parts of a body
     */
    public record Options(String host, int port, int workers, int queue, long bodyLimit, Duration drainTimeout,
                          int ioThreads, int maxConnections, Duration idleTimeout) {}

    private final Channel serverChannel;
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ChannelGroup channels;
    private final Admission admission;
    private final Duration drainTimeout;
    private final ConnectionCount connections;
    private volatile boolean stopped;

    private HttpServer(Channel serverChannel, EventLoopGroup boss, EventLoopGroup io, ChannelGroup channels,
                       Admission admission, Duration drainTimeout, ConnectionCount connections) {
        this.serverChannel = serverChannel;
        this.boss = boss;
        this.io = io;
        this.channels = channels;
        this.admission = admission;
        this.drainTimeout = drainTimeout;
        this.connections = connections;
    }

    /**
     * Binds and returns once the server accepts connections (port 0 picks a free one), after a
     * few requests to itself have loaded the pipeline's classes.
     */
    public static HttpServer start(RequestCore core, Options o) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, factory);
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(o.ioThreads(), factory);
        ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        var admission = new Admission(o.workers(), o.queue());
        int bodyLimit = (int) Math.min(Integer.MAX_VALUE, o.bodyLimit());
        String warmupToken = SelfWarmup.newToken();
        var connections = new ConnectionCount(o.maxConnections(), "answered 503");
        var refusedLinger = new LingerBudget(REFUSED_LINGERING);
        try {
            Channel ch = new ServerBootstrap()
                    .group(boss, io)
                    .channel(channelClass)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override protected void initChannel(SocketChannel c) {
                            channels.add(c);
                            c.pipeline()
                                    .addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192))
                                    .addLast("guard", new ConnectionGuard(connections, refusedLinger, o.idleTimeout()))
                                    .addLast("keep-alive", new HttpServerKeepAliveHandler())
                                    .addLast("aggregate", new BodyLimitAggregator(bodyLimit, core))
                                    .addLast("core", new CoreHandler(core, admission, warmupToken));
                        }
                    })
                    .bind(o.host(), o.port()).sync().channel();
            SelfWarmup.run((InetSocketAddress) ch.localAddress(), warmupToken);
            return new HttpServer(ch, boss, io, channels, admission, o.drainTimeout(), connections);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            io.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public InetSocketAddress address() { return (InetSocketAddress) serverChannel.localAddress(); }

    /** `http://host:port` as bound. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    public Admission admission() { return admission; }

    /** Open connections against the limit, and those refused or closed by the idle timeout. */
    ConnectionCount connections() { return connections; }

    /**
     * Graceful stop: stop accepting, let in-flight requests finish within the drain timeout,
     * then close every connection and the event loops. Idempotent.
     *
     * @return true when every in-flight request finished in time
     */
    public synchronized boolean stop() throws InterruptedException {
        if (stopped) return true;
        stopped = true;
        serverChannel.close().sync();
        boolean drained = admission.awaitIdle(drainTimeout);
        channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
        // `serve` has no status page: what its connection limits did is said once, here.
        LOG.info("stopped: {} connections accepted, {} refused past server.max_connections, {} closed by server.idle_timeout",
                connections.accepted(), connections.refused(), connections.idleClosed());
        return drained;
    }

    @Override public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

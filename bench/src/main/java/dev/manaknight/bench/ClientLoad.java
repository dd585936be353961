package dev.manaknight.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed loop of N keep-alive HTTP/1.1 clients (each sends its next request when the last is
 * answered) that times each request from the moment its client wanted it, connecting included.
 * wrk times a request from its write: a client whose connection waits in a full accept queue (its
 * SYN dropped and sent again 1 s, 3 s, … later) or is reset and never served shows up in wrk's
 * "socket errors", not in its latencies, so a server that lets fewer clients in looks faster
 * (bench/RESULTS.md §20). Here a client's first request is timed from the start of its connect; a
 * request whose connection fails is sent again on a new one with its clock still running; and a
 * request still unanswered at the end counts at its age then (a lower bound), so every client
 * appears in the percentiles.
 *
 * <p>Prints wrk's summary lines (bench/lib.sh's {@code parse_wrk} reads them) and one of its own:
 * the requests in flight at the end, the oldest's age, and how many clients were never answered.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.manaknight.bench.ClientLoad URL CLIENTS SECONDS [THREADS]</pre>
 *
 * A URL whose path ends in {@code /users/} gets a random id from 1 to 10,000 appended per request
 * (as bench/peers/wrk/users.lua).
 */
public final class ClientLoad {
    private final String host;
    private final int port;
    private final String path;
    private final boolean randomUser;
    private final Bootstrap bootstrap;
    private final long end;
    /** Each event loop thread's latencies (ns) of the requests answered before the end. */
    private final ThreadLocal<Samples> samples;
    private final List<Samples> all = new ArrayList<>();
    private final AtomicLong non2xx = new AtomicLong();
    private final AtomicLong connectErrors = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    /** Latencies in nanoseconds, appended by one thread. */
    private static final class Samples {
        long[] v = new long[1 << 16];
        int n;

        void add(long x) {
            if (n == v.length) v = Arrays.copyOf(v, n * 2);
            v[n++] = x;
        }
    }

    /** One client: when its current request was wanted, and how many of its requests were answered. */
    private final class Client {
        /** When the request in flight was wanted (System.nanoTime). */
        long wanted;
        long answers;

        void connect() {
            bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new Connection(Client.this));
                }
            }).connect(host, port).addListener(f -> {
                if (f.isSuccess()) return;
                connectErrors.incrementAndGet();
                // the wanted request's clock keeps running; a refused connect is tried again 10 ms later
                if (System.nanoTime() < end) bootstrap.config().group().schedule(this::connect, 10, TimeUnit.MILLISECONDS);
            });
        }
    }

    /** A client's connection: sends its requests, one at a time, and times their answers. */
    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Client client;
        /** Closed by this side after an answer: not an error. */
        private boolean done;

        Connection(Client client) {
            this.client = client;
        }

        @Override public void channelActive(ChannelHandlerContext ctx) {
            send(ctx.channel());
        }

        private void send(Channel ch) {
            String p = randomUser ? path + (1 + ThreadLocalRandom.current().nextInt(10_000)) : path;
            var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, p);
            req.headers().set(HttpHeaderNames.HOST, host + ":" + port);
            ch.writeAndFlush(req);
        }

        @Override protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                done = true;
                ctx.close();
                return;
            }
            samples.get().add(now - client.wanted);
            client.answers++;
            bytes.addAndGet(res.content().readableBytes());
            if (res.status().code() >= 400) non2xx.incrementAndGet();
            client.wanted = now;
            if (HttpUtil.isKeepAlive(res)) {
                send(ctx.channel());
            } else {
                done = true;
                ctx.close();
                client.connect();
            }
        }

        @Override public void channelInactive(ChannelHandlerContext ctx) {
            if (done || System.nanoTime() - end >= 0) return;
            readErrors.incrementAndGet(); // closed before the answer: sent again on a new connection
            client.connect();
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private ClientLoad(URI uri, long end, EventLoopGroup group, Class<? extends SocketChannel> channel) {
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.path = uri.getRawPath();
        this.randomUser = path.endsWith("/users/");
        this.end = end;
        this.samples = ThreadLocal.withInitial(() -> {
            var s = new Samples();
            synchronized (all) {
                all.add(s);
            }
            return s;
        });
        this.bootstrap = new Bootstrap().group(group).channel(channel)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 120_000)
                .option(ChannelOption.TCP_NODELAY, true);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ClientLoad URL CLIENTS SECONDS [THREADS]");
            System.exit(64);
        }
        URI uri = URI.create(args[0]);
        int clients = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        var load = new ClientLoad(uri, end, group, epoll ? EpollSocketChannel.class : NioSocketChannel.class);
        var list = new ArrayList<Client>(clients);
        for (int i = 0; i < clients; i++) {
            Client c = load.new Client();
            c.wanted = System.nanoTime();
            list.add(c);
            group.execute(c::connect);
        }
        long sleep;
        while ((sleep = end - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(sleep);
        // every client has a request wanted and not answered by the end: count it at its age
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        var waiting = new Samples();
        int never = 0;
        for (Client c : list) {
            waiting.add(end - c.wanted);
            if (c.answers == 0) never++;
        }
        load.report(args[0], threads, clients, seconds, waiting, never);
    }

    /**
     * @param waiting each client's request in flight at the end, at its age then
     * @param never   clients never answered
     */
    private void report(String url, int threads, int clients, int seconds, Samples waiting, int never) {
        int answered = 0;
        for (Samples s : all) answered += s.n;
        long[] v = new long[answered + waiting.n];
        int at = 0;
        for (Samples s : all) {
            System.arraycopy(s.v, 0, v, at, s.n);
            at += s.n;
        }
        System.arraycopy(waiting.v, 0, v, at, waiting.n);
        Arrays.sort(v);
        long oldest = 0;
        for (int i = 0; i < waiting.n; i++) oldest = Math.max(oldest, waiting.v[i]);
        var out = new StringBuilder();
        out.append("Running ").append(seconds).append("s test @ ").append(url).append('\n');
        out.append("  ").append(threads).append(" threads and ").append(clients).append(" connections\n");
        out.append("  timed from when each request was wanted, connecting included (ClientLoad)\n");
        out.append("  Latency Distribution\n");
        for (int q : new int[] {50, 75, 90, 99}) out.append(String.format(Locale.ROOT, "     %d%% %9.2fms%n", q, pct(v, q) / 1e6));
        out.append(String.format(Locale.ROOT, "  max %.2fms%n", v.length == 0 ? 0 : v[v.length - 1] / 1e6));
        out.append(String.format(Locale.ROOT, "  %d requests in %d.00s, %.2fMB read%n", answered, seconds, bytes.get() / 1e6));
        out.append(String.format(Locale.ROOT, "  Socket errors: connect %d, read %d, write 0, timeout 0%n", connectErrors.get(),
                readErrors.get()));
        if (non2xx.get() > 0) out.append("  Non-2xx or 3xx responses: ").append(non2xx.get()).append('\n');
        out.append(String.format(Locale.ROOT, "  In flight at the end: %d, counted at their age (the oldest %.2fms); "
                + "clients never answered: %d%n", waiting.n, oldest / 1e6, never));
        out.append(String.format(Locale.ROOT, "Requests/sec: %.2f%n", answered / (double) seconds));
        System.out.print(out);
    }

    /** The q-th percentile (nearest rank) of sorted `v`. */
    private static long pct(long[] v, int q) {
        if (v.length == 0) return 0;
        int rank = (int) Math.ceil(q / 100.0 * v.length);
        return v[Math.max(0, rank - 1)];
    }
}

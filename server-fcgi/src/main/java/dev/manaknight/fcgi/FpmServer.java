package dev.manaknight.fcgi;

import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Admission;
import dev.manaknight.runtime.ConnectionCount;
import dev.manaknight.runtime.ConnectionLimit;
import dev.manaknight.runtime.Dispatch;
import dev.manaknight.runtime.HeapBudget;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.config.Config;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manaknight-FPM: the FastCGI server (RUNTIME.md §4). Listens on `unix:/path` or `host:port`,
 * admits requests PHP-FPM-style (`workers` running, `queue` waiting, then FCGI_OVERLOADED),
 * reloads its program in place, stops gracefully, and can take over from a running instance
 * (`--graceful`). See fcgi.md for the design.
 */
public final class FpmServer implements AutoCloseable {
    /** Reads the configuration again (SIGUSR2 re-reads the file). */
    public interface ConfigSource {
        Config load() throws Exception;
    }

    /** Turns the configured app into a verified program; its exception message is the diagnostics. */
    public interface ProgramLoader {
        Program load(Config config) throws Exception;

        /** The failure as the log shows it (code frames for compile errors). */
        default String describe(Exception e) { return e.getMessage(); }
    }

    /** Time to accept connections already queued in the listen backlog after the socket path is gone. */
    static final long BACKLOG_GRACE_MILLIS = 100;
    /** How often the slow-log watcher looks at the running requests. */
    static final long SLOW_SWEEP_MILLIS = 50;
    /** Sweeps a computing VM gets to publish its stack before its entry is written without one. */
    static final int STACK_ASKS = 20;
    /** How long a live-socket probe may take before the socket counts as dead. */
    static final int PROBE_TIMEOUT_MILLIS = 500;
    private static final Logger LOG = LoggerFactory.getLogger("manaknight.fpm");

    private final ConfigSource configs;
    private final ProgramLoader loader;
    private final FpmStatus status;
    private final Admission admission;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile Generation current;
    private volatile FcgiLimits limits;
    private EventLoopGroup io;
    /** The listener's loop: `io` itself when there is one loop. */
    private EventLoopGroup acceptor;
    private Channel serverChannel;
    /** The unix socket's public name, once renamed into place. */
    private OwnedFile socket;
    private String address;
    private boolean stopped;
    private Thread slowWatcher;
    private OwnedFile pidFile;

    private FpmServer(ConfigSource configs, ProgramLoader loader, Generation first, FpmStatus status) {
        this.configs = configs;
        this.loader = loader;
        this.current = first;
        this.status = status;
        var s = first.config.server();
        this.admission = new Admission(s.workers(), s.queue());
        this.limits = FcgiLimits.of(first.config.limits().body(), s.workers() + s.queue(), status.connections.max());
    }

    /** Loads, verifies and opens the app, binds, and returns once connections are accepted. */
    public static FpmServer start(ConfigSource configs, ProgramLoader loader, boolean graceful) throws Exception {
        Config config = configs.load();
        warnings(config).forEach(LOG::warn);
        Program program = loader.load(config);
        var s = config.server();
        String pool = config.app() == null ? "www" : Objects.toString(config.app().toAbsolutePath().normalize().getFileName(), "www");
        var status = new FpmStatus(pool.replaceFirst("\\.mkb$", ""), s.workers(), s.queue(),
                new ConnectionCount(ConnectionLimit.of(config), "closed at once"));
        Generation first = Generation.open(program, config, status);
        var server = new FpmServer(configs, loader, first, status);
        try {
            server.bind(s.listen(), s.socketMode(), graceful);
            if (s.pidFile() != null) server.pidFile = PidFile.write(s.pidFile());
            server.slowWatcher = Thread.ofPlatform().daemon().name("manaknight-slowlog").start(server::watchSlowRequests);
        } catch (Exception e) {
            server.removeSocketIfOurs();
            server.shutdownLoops();
            first.close();
            throw e;
        }
        return server;
    }

    /**
     * What is wrong with the config in this process but does not stop it: the heap cannot hold
     * every VM the config admits ({@link HeapBudget}), or `max_connections` is beyond the
     * file-descriptor limit ({@link ConnectionLimit}). Logged at start; `fpm -t` prints them.
     */
    public static List<String> warnings(Config config) {
        return Stream.of(HeapBudget.shortfall(config, Runtime.getRuntime().maxMemory()), ConnectionLimit.shortfall(config))
                .flatMap(Optional::stream).toList();
    }

    /** `unix:/path` or `host:port` as bound. */
    public String address() { return address; }

    FpmStatus status() { return status; }

    /** The listening channel (tests hold up its loop to queue connections on it). */
    Channel listener() { return serverChannel; }

    Generation current() { return current; }

    /** Requests admitted and not yet finished (tests: a cut-off request's VM does stop). */
    int inFlight() { return admission.inFlight(); }

    // ---- listening ------------------------------------------------------------------------

    private void bind(String listen, String socketMode, boolean graceful) throws Exception {
        Transport transport = Transport.choose(current.config.server().transport());
        int loops = current.config.server().ioThreads(defaultIoThreads());
        LOG.info("transport {}, {} event loop(s), at most {} connections", transport.name().toLowerCase(java.util.Locale.ROOT),
                loops, status.connections.max());
        IoHandlerFactory factory = transport.ioHandlers();
        // With one loop, that loop also accepts: a connection is registered where it was accepted,
        // at once. A separate acceptor hands every new connection to the serving loop (an eventfd
        // wake-up and a context switch per connection; with keep-conn off, per request): that was
        // 18 % of the JVM's CPU per /hello (bench/RESULTS.md §7). With several loops, most
        // connections go to another loop anyway, and `serve` (two loops, a connection per request)
        // measured slightly worse with the acceptor among them, so they keep a dedicated one.
        io = new MultiThreadIoEventLoopGroup(loops, factory);
        acceptor = loops == 1 ? io : new MultiThreadIoEventLoopGroup(1, factory);
        boolean unix = listen.startsWith("unix:");
        boolean stopReading = transport.stopReadingBeforeClose();
        var b = new ServerBootstrap().group(acceptor, io).channel(transport.serverChannel(unix))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childHandler(new ChannelInitializer<>() {
                    @Override protected void initChannel(Channel c) {
                        channels.add(c);
                        c.pipeline().addLast("fcgi", new FcgiHandler(FpmServer.this, limits, stopReading));
                    }
                });
        if (unix) {
            Path path = Path.of(listen.substring("unix:".length())).toAbsolutePath();
            boolean live = Files.exists(path) && live(UnixDomainSocketAddress.of(path));
            if (live && !graceful)
                throw new IOException(listen + " is served by a running instance (use --graceful to take over)");
            // Always bound under a private name, then renamed over the public one: with --graceful that
            // replaces a live instance's socket in one step, and Netty's delete-on-close then removes a
            // name nobody uses any more, never the socket that is now the public one.
            Path bindPath = path.resolveSibling("." + path.getFileName() + "." + ProcessHandle.current().pid());
            Files.deleteIfExists(bindPath);
            serverChannel = b.bind(transport.unixAddress(bindPath)).sync().channel();
            Files.setPosixFilePermissions(bindPath, permissions(socketMode));
            Files.move(bindPath, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            socket = OwnedFile.at(path);
            address = listen;
        } else {
            var cfg = current.config.server();
            var target = new InetSocketAddress(cfg.host(), cfg.port());
            if (cfg.port() != 0 && live(target) && !graceful)
                throw new IOException(listen + " is served by a running instance (use --graceful to take over)");
            // SO_REUSEPORT always, so that a later --graceful instance can bind beside this one.
            transport.reusePort(b);
            serverChannel = b.bind(target).sync().channel();
            if (graceful && !migratesQueuedConnections())
                LOG.warn("--graceful on TCP: net.ipv4.tcp_migrate_req is 0, so connections still queued on the old "
                        + "instance's listener when it closes are reset; set it to 1 (Linux >= 5.14) for a lossless "
                        + "handoff, or listen on a unix socket");
            InetSocketAddress a = (InetSocketAddress) serverChannel.localAddress();
            String host = a.getAddress().getHostAddress();
            address = (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        }
    }

    /**
     * Event loops when `io_threads` is not set: half the cores, at least one. Behind a web server
     * on the same machine the other half runs it; every loop also runs inline handlers. Measured
     * in bench/RESULTS.md §6.
     */
    static int defaultIoThreads() { return Math.max(1, Runtime.getRuntime().availableProcessors() / 2); }

    private static boolean live(SocketAddress addr) {
        if (addr instanceof UnixDomainSocketAddress u) {
            try (SocketChannel ch = SocketChannel.open(u)) {
                return ch.isConnected();
            } catch (IOException e) {
                return false;
            }
        }
        try (var s = new Socket()) {
            s.connect(addr, PROBE_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Linux's `net.ipv4.tcp_migrate_req`: when 1, a closing SO_REUSEPORT listener hands the
     * connections queued on it to another listener of the group instead of resetting them.
     */
    static boolean migratesQueuedConnections() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_migrate_req")).trim().equals("1");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** `0660` → rw-rw----. */
    static Set<PosixFilePermission> permissions(String mode) {
        int m = Integer.parseInt(mode, 8);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        var set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < order.length; i++) if ((m >> i & 1) != 0) set.add(order[i]);
        return set;
    }

    // ---- requests -------------------------------------------------------------------------

    /** A place for one request in the current generation, or null when workers and queue are full. */
    Generation admit() {
        if (!admission.tryAdmit()) return null;
        while (true) {
            Generation g = current;
            if (g.enter()) {
                status.queued();
                status.inFlight(admission.inFlight());
                return g;
            }
        }
    }

    /** Runs an admitted request once a worker is free; leaves its places afterwards. On a virtual thread. */
    Reply run(Generation g, RequestContext rc, Dispatch d, long contentLength) throws InterruptedException {
        try {
            return admission.run(() -> execute(g, rc, d, contentLength));
        } finally {
            leave(g);
        }
    }

    /**
     * Runs an admitted request on the calling I/O thread when a worker is free at once (only for
     * requests the core says run inline); null when none is, and the request keeps its places for
     * {@link #run}.
     */
    Reply runInline(Generation g, RequestContext rc, Dispatch d, long contentLength) {
        if (!admission.tryStartRun()) return null;
        try {
            return execute(g, rc, d, contentLength);
        } finally {
            admission.finishRun();
            leave(g);
        }
    }

    private Reply execute(Generation g, RequestContext rc, Dispatch d, long contentLength) {
        int slot = status.started(rc, contentLength);
        try {
            return ScopedValue.where(RequestContext.CURRENT, rc).call(() -> g.core.handle(d));
        } finally {
            status.finished(slot, rc);
        }
    }

    private void leave(Generation g) {
        g.exit();
        admission.leave();
        status.inFlight(admission.inFlight());
    }

    // ---- slow log ---------------------------------------------------------------------------

    /** The watcher thread's loop: a sweep every {@link #SLOW_SWEEP_MILLIS} until interrupted. */
    private void watchSlowRequests() {
        while (true) {
            try {
                Thread.sleep(SLOW_SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                sweepSlowRequests(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.error("slow log: {}", e.toString(), e); // the next sweep tries again
            }
        }
    }

    /**
     * PHP-FPM dumps a child's backtrace once it runs past `request_slowlog_timeout`; here every
     * worker slot's running request past `slowlog_timeout` is written once, with its VM's stack
     * (see Vm#stackNow: at once while it waits in a query, else at its next fuel tick).
     */
    void sweepSlowRequests(long now) {
        for (int i = 0; i < status.workers; i++) {
            RequestContext rc = status.slot(i).running();
            if (rc == null) continue;
            SlowLog log = rc.slowLog;
            if (log == null || !log.due(rc.startNanos, now)) continue;
            synchronized (rc) {
                if (rc.slowLogged || rc.ended) continue;
            }
            var stack = rc.stackNow();
            if (stack != null || ++rc.stackAsks >= STACK_ASKS) log.running(rc, stack, now);
        }
    }

    // ---- signals --------------------------------------------------------------------------

    /**
     * SIGUSR2/SIGHUP: reads the config and loads the program again; new requests get it, those in
     * flight finish on the old one. A config or program that fails is refused and logged; the old
     * one keeps serving. `listen`, `workers` and `queue` need a restart (a warning says so).
     *
     * @return true when the new program serves
     */
    public synchronized boolean reload() {
        Generation next;
        try {
            Config config = configs.load();
            // limits.memory applies at a reload (max_connections does not: it waits for a restart)
            HeapBudget.shortfall(config, Runtime.getRuntime().maxMemory()).ifPresent(LOG::warn);
            Program program = loader.load(config);
            next = Generation.open(program, config, status);
        } catch (Exception e) {
            LOG.error("reload refused, the running program keeps serving:\n{}", loader.describe(e));
            return false;
        }
        var was = current.config.server();
        var now = next.config.server();
        if (!was.listen().equals(now.listen()) || was.workers() != now.workers() || was.queue() != now.queue()
                || was.maxConnections() != now.maxConnections() || !Objects.equals(was.pidFile(), now.pidFile()))
            LOG.warn("reload: `server.listen`, `workers`, `queue`, `max_connections` and `pid` changes take effect at the next restart");
        limits = FcgiLimits.of(next.config.limits().body(), was.workers() + was.queue(), status.connections.max());
        Generation old = current;
        current = next;
        status.reloads.incrementAndGet();
        Thread.ofVirtual().name("manaknight-fpm-retire").start(() -> {
            try {
                if (!old.retire(old.config.server().drainTimeout()))
                    LOG.warn("reload: requests still running on the old program after drain_timeout");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        LOG.info("reloaded {}", next.config.app());
        return true;
    }

    /** SIGUSR1: reopens the access log and slow log files. */
    public void reopenLogs() {
        try {
            current.reopenLogs();
        } catch (IOException e) {
            LOG.error("reopening the logs failed: {}", e.getMessage());
        }
    }

    /**
     * SIGTERM: stop accepting (the socket path goes first, then the listener after the backlog
     * was accepted), let in-flight requests finish within `drain_timeout`, close everything.
     *
     * @return true when every in-flight request finished in time
     */
    public synchronized boolean stop() throws InterruptedException {
        if (stopped) return true;
        stopped = true;
        boolean drained = false;
        try {
            removeSocketIfOurs();
            Thread.sleep(BACKLOG_GRACE_MILLIS);
            serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            for (Channel c : channels) {
                var h = c.pipeline().get(FcgiHandler.class);
                if (h != null) c.eventLoop().execute(h::drain);
            }
            drained = admission.awaitIdle(current.config.server().drainTimeout());
            if (!drained)
                LOG.warn("stop: {} request(s) still running after drain_timeout ({} ms): cut off, their VMs stopped",
                        admission.inFlight(), current.config.server().drainTimeout().toMillis());
        } catch (RuntimeException e) {
            LOG.error("stop: {}", e.toString(), e); // whatever failed, the rest still closes
        } finally {
            // Each step on its own: one that fails (even a class gone from a jar replaced in place)
            // must not keep the event loops, non-daemon threads, alive.
            step("closing the connections", () -> channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS));
            if (slowWatcher != null) slowWatcher.interrupt();
            step("stopping the event loops", this::shutdownLoops);
            step("closing the program's resources", current::close);
            if (pidFile != null) step("removing the pid file", pidFile::removeIfOurs);
        }
        return drained;
    }

    private static void step(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("stop: {}: {}", what, e.toString());
        }
    }

    /** The socket file, unless another instance has renamed its own over it (a --graceful takeover). */
    private void removeSocketIfOurs() {
        if (socket != null) socket.removeIfOurs();
    }

    private void shutdownLoops() {
        if (io != null) io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (acceptor != null && acceptor != io)
            acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    @Override public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

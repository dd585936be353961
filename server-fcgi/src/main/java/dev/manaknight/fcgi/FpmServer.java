package dev.manaknight.fcgi;

import dev.manaknight.lang.vm.Program;
import dev.manaknight.netty.Endpoint;
import dev.manaknight.netty.Transport;
import dev.manaknight.runtime.Admission;
import dev.manaknight.runtime.BodyBudget;
import dev.manaknight.runtime.ConnectionCount;
import dev.manaknight.runtime.ConnectionLimit;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.DeploymentSlot;
import dev.manaknight.runtime.HeapBudget;
import dev.manaknight.runtime.InFlight;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.config.Config;
import io.netty.channel.Channel;
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
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manaknight-FPM: the FastCGI server. Listens on `unix:/path` or `host:port`, hands each request
 * to the current {@link Deployment} (which admits it PHP-FPM-style: `workers` running, `queue`
 * waiting, then FCGI_OVERLOADED), reloads its program in place (a new deployment; the old one
 * retires when its requests are done), stops gracefully, and can take over from a running
 * instance (`--graceful`). See fcgi.md for the design.
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
    /** How long a live-socket probe may take before the socket counts as dead. */
    static final int PROBE_TIMEOUT_MILLIS = 500;
    private static final Logger LOG = LoggerFactory.getLogger("manaknight.fpm");

    private final ConfigSource configs;
    private final ProgramLoader loader;
    private final FpmStatus status;
    private final Admission admission;
    private final BodyBudget bodies;
    /** The deployment new requests go to; a reload swaps it. */
    private final DeploymentSlot slot;
    private volatile FcgiLimits limits;
    private Endpoint endpoint;
    /** The unix socket's public name, once renamed into place. */
    private OwnedFile socket;
    private String address;
    private boolean stopped;
    /** What the stop's drain did (tests), or null before. */
    private volatile dev.manaknight.netty.DrainTally.Report drainReport;
    private OwnedFile pidFile;

    private FpmServer(ConfigSource configs, ProgramLoader loader, Deployment first, FpmStatus status, Admission admission) {
        this.configs = configs;
        this.loader = loader;
        this.slot = new DeploymentSlot(first);
        this.status = status;
        this.admission = admission;
        var s = first.config().server();
        this.bodies = new BodyBudget(s.bodyBudget(Runtime.getRuntime().maxMemory(), first.config().limits().body()));
        this.limits = FcgiLimits.of(first.config().limits().body(), s.workers() + s.queue(), status.connections.max());
    }

    /** Loads, verifies and opens the app, binds, and returns once connections are accepted. */
    public static FpmServer start(ConfigSource configs, ProgramLoader loader, boolean graceful) throws Exception {
        Config config = configs.load();
        Deployment.warnings(config).forEach(LOG::warn);
        Program program = loader.load(config);
        var s = config.server();
        // Before the database is opened and the app warmed up: a taken address fails at once, naming it (issue 16).
        checkListen(s, graceful);
        String pool = config.app() == null ? "www" : Objects.toString(config.app().toAbsolutePath().normalize().getFileName(), "www");
        var admission = new Admission(s.workers(), s.queue());
        var status = new FpmStatus(pool.replaceFirst("\\.mkb$", ""), s.workers(), s.queue(),
                new ConnectionCount(ConnectionLimit.of(config), "closed at once"), admission);
        Deployment first = Deployment.open(program, config, Deployment.Setup.server(admission, status));
        var server = new FpmServer(configs, loader, first, status, admission);
        try {
            server.bind(s.listen(), s.socketMode(), graceful);
            if (s.pidFile() != null) server.pidFile = PidFile.write(s.pidFile());
        } catch (Exception e) {
            server.removeSocketIfOurs();
            if (server.endpoint != null) server.endpoint.close();
            first.close();
            throw e;
        }
        return server;
    }

    /** `unix:/path` or `host:port` as bound. */
    public String address() { return address; }

    FpmStatus status() { return status; }

    /** The listening channel (tests hold up its loop to queue connections on it). */
    Channel listener() { return endpoint.listener(); }

    /** The deployment new requests go to. */
    Deployment current() { return slot.current(); }

    FcgiLimits limits() { return limits; }

    /** Request bodies held now against `server.body_budget`. */
    BodyBudget bodies() { return bodies; }

    /** Requests admitted and not yet finished (tests: a cut-off request's VM does stop). */
    int inFlight() { return admission.inFlight(); }

    /** Hands a request to the current deployment (its successor, if a reload retired it meanwhile). */
    InFlight submit(Request req, boolean mayRunHere, Consumer<InFlight> deliver) {
        return slot.submit(req, mayRunHere, deliver);
    }

    // ---- listening ------------------------------------------------------------------------

    private void bind(String listen, String socketMode, boolean graceful) throws Exception {
        Transport transport = Transport.choose(current().config().server().transport());
        int loops = current().config().server().ioThreads(defaultIoThreads());
        LOG.info("transport {}, {} event loop(s), at most {} connections", transport.name().toLowerCase(java.util.Locale.ROOT),
                loops, status.connections.max());
        boolean stopReading = transport.stopReadingBeforeClose();
        java.util.function.Consumer<Channel> init = c -> c.pipeline().addLast("fcgi", new FcgiHandler(this, limits, bodies, stopReading));
        if (listen.startsWith("unix:")) {
            Path path = Path.of(listen.substring("unix:".length())).toAbsolutePath();
            // Again: another instance may have come up while this one warmed up.
            checkListen(current().config().server(), graceful);
            // Always bound under a private name, then renamed over the public one: with --graceful that
            // replaces a live instance's socket in one step, and Netty's delete-on-close then removes a
            // name nobody uses any more, never the socket that is now the public one.
            Path bindPath = path.resolveSibling("." + path.getFileName() + "." + ProcessHandle.current().pid());
            Files.deleteIfExists(bindPath);
            endpoint = Endpoint.bind(transport, loops, transport.unixAddress(bindPath), false, init);
            Files.setPosixFilePermissions(bindPath, permissions(socketMode));
            Files.move(bindPath, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            socket = OwnedFile.at(path);
            address = listen;
        } else {
            var cfg = current().config().server();
            var target = new InetSocketAddress(cfg.host(), cfg.port());
            if (cfg.port() != 0 && live(target) && !graceful) throw servedAlready(listen);
            // SO_REUSEPORT always, so that a later --graceful instance can bind beside this one.
            endpoint = Endpoint.bind(transport, loops, target, true, init);
            if (graceful && !migratesQueuedConnections())
                LOG.warn("--graceful on TCP: net.ipv4.tcp_migrate_req is 0, so connections still queued on the old "
                        + "instance's listener when it closes are reset; set it to 1 (Linux >= 5.14) for a lossless "
                        + "handoff, or listen on a unix socket");
            InetSocketAddress a = (InetSocketAddress) endpoint.listener().localAddress();
            String host = a.getAddress().getHostAddress();
            address = (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        }
    }

    /**
     * Fails, naming the address, when this instance cannot listen there: a running instance answers
     * on it (and this is no `--graceful` start), or a TCP port is taken by anything else (as
     * `serve` says it). The bind itself comes later, once the program's database is open and warm.
     */
    static void checkListen(Config.Server server, boolean graceful) throws IOException {
        String listen = server.listen();
        if (server.unix()) {
            Path path = Path.of(listen.substring("unix:".length())).toAbsolutePath();
            if (!graceful && Files.exists(path) && live(UnixDomainSocketAddress.of(path))) throw servedAlready(listen);
            return;
        }
        if (server.port() == 0) return;
        if (!graceful && live(new InetSocketAddress(server.host(), server.port()))) throw servedAlready(listen);
        // A --graceful successor binds beside its predecessor, both with SO_REUSEPORT; anything else holding the port refuses.
        Endpoint.checkFree(server.host(), server.port(), graceful);
    }

    /** A live listener: for TCP, the words `serve` uses for a taken port, then what fpm can do about it. */
    private static IOException servedAlready(String listen) {
        return new IOException("cannot listen on " + listen + ": " + (listen.startsWith("unix:") ? "" : "Address already in use; ")
                + "a running instance answers there (if it is Manaknight-FPM, use --graceful to take over)");
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

    // ---- signals --------------------------------------------------------------------------

    /**
     * SIGUSR2/SIGHUP: reads the config and loads the program again; new requests get it, those in
     * flight finish on the old one. A config or program that fails is refused and logged; the old
     * one keeps serving. `listen`, `workers` and `queue` need a restart (a warning says so).
     *
     * @return true when the new program serves
     */
    public synchronized boolean reload() {
        Deployment next;
        try {
            Config config = configs.load();
            // limits.memory applies at a reload (max_connections does not: it waits for a restart)
            HeapBudget.shortfall(config, Runtime.getRuntime().maxMemory()).ifPresent(LOG::warn);
            Program program = loader.load(config);
            next = Deployment.open(program, config, Deployment.Setup.server(admission, status));
        } catch (Exception e) {
            LOG.error("reload refused, the running program keeps serving:\n{}", loader.describe(e));
            return false;
        }
        var was = current().config().server();
        var now = next.config().server();
        if (!was.listen().equals(now.listen()) || was.workers() != now.workers() || was.queue() != now.queue()
                || was.maxConnections() != now.maxConnections() || !Objects.equals(was.pidFile(), now.pidFile())
                || was.bodyBudget() != now.bodyBudget())
            LOG.warn("reload: `server.listen`, `workers`, `queue`, `max_connections`, `body_budget` and `pid` changes take "
                    + "effect at the next restart");
        limits = FcgiLimits.of(next.config().limits().body(), was.workers() + was.queue(), status.connections.max());
        slot.swap(next, was.drainTimeout());
        status.reloads.incrementAndGet();
        LOG.info("reloaded {}", next.config().app());
        return true;
    }

    /** SIGUSR1: reopens the access log and slow log files. */
    public void reopenLogs() {
        try {
            current().reopenLogs();
        } catch (IOException e) {
            LOG.error("reopening the logs failed: {}", e.getMessage());
        }
    }

    /** What the stop's drain did, or null before it ended. */
    dev.manaknight.netty.DrainTally.Report drainReport() { return drainReport; }

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
        Duration drainTimeout = current().config().server().drainTimeout();
        try {
            removeSocketIfOurs();
            // From now on a connection closes after its next END_REQUEST (those of the backlog too),
            // and an idle one once `drain_delay` (at least 500 ms) has passed: by then the web server
            // must have closed its idle kept connections itself (nginx's `keepalive_timeout` shorter),
            // or a request it sends on one as this side closes it is lost (issue 17).
            endpoint.beginDrain(current().config().server().probes().drainDelay());
            Thread.sleep(BACKLOG_GRACE_MILLIS);
            endpoint.closeListener();
            var drain = endpoint.drain(admission, drainTimeout, () -> current().stopAll(InFlight.Stop.DRAIN),
                    Duration.ofSeconds(1));
            drained = drain.inTime();
            drainReport = drain;
            if (!drained)
                LOG.warn("stop: request(s) still running after drain_timeout ({} ms): cut off, their VMs stopped",
                        drainTimeout.toMillis());
            LOG.info("stop: {}", drain.line());
        } catch (RuntimeException e) {
            LOG.error("stop: {}", e.toString(), e); // whatever failed, the rest still closes
        } finally {
            // Each step on its own: one that fails (even a class gone from a jar replaced in place)
            // must not keep the event loops, non-daemon threads, alive.
            step("closing the connections and event loops", endpoint::close);
            step("closing the program's resources", () -> current().close());
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

    @Override public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

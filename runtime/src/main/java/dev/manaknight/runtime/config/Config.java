package dev.manaknight.runtime.config;

import dev.manaknight.lang.vm.VmLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The runtime configuration (runtime.md, "Configuration"), every key with its default. Paths are already
 * resolved against the config file's folder (or the app's folder when there is no file).
 *
 * @param source the file it came from, or null for pure defaults
 * @param app    the app directory or `.mkb` file, or null when neither file nor command line named one
 * @param settings the values of the app's `config` keys: the `[app]` table and the environment
 */
public record Config(Path source, Path app, Server server, Limits limits, Db db, Log log, Http http, Journal journal,
                     AppSettings settings) {
    /** A configuration whose `[http]` section is the default (no outbound host is allowed), without a journal. */
    public Config(Path source, Path app, Server server, Limits limits, Db db, Log log) {
        this(source, app, server, limits, db, log, Http.DEFAULTS, Journal.OFF);
    }

    /** A configuration without a journal. */
    public Config(Path source, Path app, Server server, Limits limits, Db db, Log log, Http http) {
        this(source, app, server, limits, db, log, http, Journal.OFF);
    }

    /** A configuration without values for the app's config keys (their defaults apply). */
    public Config(Path source, Path app, Server server, Limits limits, Db db, Log log, Http http, Journal journal) {
        this(source, app, server, limits, db, log, http, journal, AppSettings.NONE);
    }

    /**
     * @param listen  `host:port`, `[v6]:port` or `unix:/path`
     * @param maxRequestsPerWorker accepted for PHP-FPM familiarity; 0 means "unlimited" (nothing leaks)
     * @param openapi serve the app's OpenAPI document at `/openapi.json`
     * @param ioThreads event-loop threads for the sockets; 0 picks one per transport ({@link #ioThreads(int)})
     * @param transport `auto`, `io_uring`, `epoll` or `nio`: the socket layer `fpm` uses (an
     *                  unavailable one falls back in that order)
     * @param maxConnections the connections a server keeps open at once (`fpm`: FCGI_MAX_CONNS); 0
     *                       lets the process's file-descriptor limit decide (`ConnectionLimit`)
     * @param idleTimeout `serve`: how long a connection may wait for a whole request head (idle
     *                    keep-alive included) or go without a byte of a request body
     * @param pidFile `fpm`: a file that holds its process id while it runs (PHP-FPM's `pid`), or null
     * @param bodyBudget bytes of request bodies a server holds at once over all its connections;
     *                   past it a request is answered 503; 0: automatic ({@link #bodyBudget(long, long)})
     * @param probes `serve`'s liveness, readiness and metrics paths and its drain delay
     */
    public record Server(String listen, int workers, int queue, long maxRequestsPerWorker, String socketMode,
                         Duration drainTimeout, String statusPath, String pingPath, boolean openapi, int ioThreads,
                         String transport, int maxConnections, Duration idleTimeout, Path pidFile, long bodyBudget,
                         Probes probes) {
        /**
         * `queue` by default: as many waiting requests as a server keeps connections by default, so
         * that each open connection may have one request waiting (the deadline bounds the wait, the
         * body budget the memory); with `max_connections` set higher, as many as it.
         */
        public static final int DEFAULT_QUEUE = 4096;
        public static final Server DEFAULTS = new Server("127.0.0.1:8080", 8, DEFAULT_QUEUE, 0, "0660",
                Duration.ofSeconds(30), "/fpm-status", "/fpm-ping", false, 0, "auto", 0, Duration.ofSeconds(60), null, 0,
                Probes.DEFAULTS);

        /**
         * The body budget in effect: the configured one, else a quarter of the JVM heap (`maxHeap`),
         * and never less than one body at `limits.body`.
         */
        public long bodyBudget(long maxHeap, long bodyLimit) {
            return Math.max(bodyLimit, bodyBudget > 0 ? bodyBudget : maxHeap / 4);
        }
        public static final java.util.Set<String> TRANSPORTS = java.util.Set.of("auto", "io_uring", "epoll", "nio");

        /** The host of a TCP `listen` (brackets of an IPv6 literal removed). */
        public String host() {
            String l = listen;
            int colon = l.lastIndexOf(':');
            String h = colon < 0 ? l : l.substring(0, colon);
            return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        }

        /** The port of a TCP `listen`. */
        public int port() { return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)); }

        public boolean unix() { return listen.startsWith("unix:"); }

        public Server withListen(String newListen) {
            return new Server(newListen, workers, queue, maxRequestsPerWorker, socketMode, drainTimeout, statusPath, pingPath,
                    openapi, ioThreads, transport, maxConnections, idleTimeout, pidFile, bodyBudget, probes);
        }

        /** The configured `io_threads`, or `automatic` when it is 0. */
        public int ioThreads(int automatic) { return ioThreads > 0 ? ioThreads : automatic; }
    }

    /**
     * What a load balancer or a monitor asks `serve` for, answered on the I/O thread without a
     * worker or the database (Prometheus's names).
     *
     * @param health     liveness: 200 while the process serves
     * @param ready      readiness: 200 once started, 503 while draining
     * @param metrics    OpenMetrics text
     * @param drainDelay `serve`: at a stop, how long readiness says 503 before the listener closes,
     *                   so a load balancer stops sending first (0: close at once). Both servers:
     *                   how long an idle kept connection stays open once a stop began (at least
     *                   500 ms), which must be longer than the balancer's own keep-alive timeout
     */
    public record Probes(String health, String ready, String metrics, Duration drainDelay) {
        public static final Probes DEFAULTS = new Probes("/-/healthy", "/-/ready", "/-/metrics", Duration.ZERO);

        /** The three paths. */
        public java.util.List<String> paths() { return java.util.List.of(health, ready, metrics); }
    }

    /** Per request: VM memory (bytes), VM CPU, fuel, wall clock, body bytes. */
    public record Limits(long memory, Duration cpu, long fuel, Duration timeout, long body) {
        /**
         * The body limit is a quarter of the memory limit: a request's raw body and its decoded
         * inputs are both charged to its VM's memory, so a body at the limit still leaves the
         * handler room (about three times the body for a text body; more for many small values).
         */
        public static final Limits DEFAULTS = new Limits(256 * 1024, Duration.ofMillis(5), 1_000_000,
                Duration.ofSeconds(10), 64 * 1024);

        public VmLimits vm() { return new VmLimits(memory, fuel, cpu.toNanos(), VmLimits.DEFAULT_MAX_FRAMES); }
    }

    /**
     * @param url    `sqlite:/absolute/path.db` after resolution, `sqlite::memory:`, or `postgresql://…`
     * @param schema    the schema script, or null when there is none
     * @param migrations the migrations folder, or null when there is none (never both: ConfigLoader)
     * @param retries   how many times a request whose transaction lost a race is run again
     * @param isolation PostgreSQL's isolation level for every request's transaction
     * @param connectTimeout how long a request waits for a connection (to open, or to come free)
     *                  before its 503, at most half of `limits.timeout`
     * @param startupWait how long a server's start waits for a PostgreSQL that is out of reach
     *                  (StartupWait); zero: it fails at once
     */
    public record Db(String url, int pool, Path schema, Path migrations, int retries, Isolation isolation,
                     Duration connectTimeout, Duration startupWait) {
        public static final int DEFAULT_RETRIES = 3;
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
        public static final Duration DEFAULT_STARTUP_WAIT = Duration.ofSeconds(30);

        /** The defaults for everything but where the database is. */
        public Db(String url, int pool, Path schema) {
            this(url, pool, schema, null, DEFAULT_RETRIES, Isolation.DEFAULT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_STARTUP_WAIT);
        }
    }

    /**
     * @param access `stdout`, `stderr`, `off`, or a file path (resolved)
     * @param dev    true: stack traces in 500 responses
     */
    public record Log(String access, Path slowlog, Duration slowlogTimeout, boolean dev) {}

    /**
     * The `http` effect's outbound calls (runtime.md, "Outbound HTTP").
     *
     * @param allowedHosts `scheme://host[:port]` origins a call may go to; none by default
     * @param allowPrivate true: an allowed host may resolve to a loopback, private or link-local address
     * @param timeout      one call's longest wait for its whole answer (the request's deadline may end it sooner)
     * @param maxResponse  the most bytes of a response body a call reads; a longer one is an `err`
     */
    public record Http(java.util.List<String> allowedHosts, boolean allowPrivate, Duration timeout, long maxResponse) {
        public static final Http DEFAULTS = new Http(java.util.List.of(), false, Duration.ofSeconds(5), 64 * 1024);

        public Http { allowedHosts = java.util.List.copyOf(allowedHosts); }
    }

    /**
     * The request journal (journal.md beside the runtime's journal package).
     *
     * @param path        the folder the segments go into, or null: no journal
     * @param durable     audit mode: a request is answered only once its record is on disk
     * @param segmentSize bytes a segment may hold before the next one starts (one larger record alone excepted)
     * @param keep        segments of an instance kept on disk, the oldest deleted past it; 0: all
     * @param queue       records waiting for the writer; past it a record is dropped (counted and logged),
     *                    or in audit mode its request waits
     * @param redact      header names (any case) whose values are sealed with `key`, or left out without one
     * @param key         the journal key (AES-256, from `MANAKNIGHT_JOURNAL_KEY`), or null
     */
    public record Journal(Path path, boolean durable, long segmentSize, int keep, int queue, java.util.List<String> redact,
                          javax.crypto.SecretKey key, java.time.Duration recoverAfter) {
        /** The headers whose values are credentials: never written in clear unless `redact` says otherwise. */
        public static final java.util.List<String> REDACT = java.util.List.of("Authorization", "Proxy-Authorization", "Cookie",
                "Set-Cookie");
        /**
         * Audit mode: how old a change's record kept in the database must be before an instance
         * writes it into its own journal, its writer having stopped (journal.md, "Commits").
         */
        public static final java.time.Duration RECOVER_AFTER = java.time.Duration.ofMinutes(1);
        public static final Journal OFF = new Journal(null, false, 64L << 20, 0, 8192, REDACT, null, RECOVER_AFTER);

        public Journal {
            redact = java.util.List.copyOf(redact);
        }

        /** The default headers redacted, no key. */
        public Journal(Path path, boolean durable, long segmentSize, int keep, int queue) {
            this(path, durable, segmentSize, keep, queue, REDACT, null, RECOVER_AFTER);
        }

        public boolean on() { return path != null; }

        /** The key's presence, never its bytes. */
        @Override public String toString() {
            return "Journal[path=" + path + ", durable=" + durable + ", segmentSize=" + segmentSize + ", keep=" + keep
                    + ", queue=" + queue + ", redact=" + redact + ", key=" + (key == null ? "none" : "set") + ", recoverAfter="
                    + recoverAfter + "]";
        }
    }

    public Config withServer(Server newServer) {
        return new Config(source, app, newServer, limits, db, log, http, journal, settings);
    }

    /**
     * Command-line `--host`/`--port` over the file's `listen`; either may be null (kept).
     */
    public Config withListen(String host, Integer port) {
        if (host == null && port == null) return this;
        String h = host != null ? host : server.unix() ? "127.0.0.1" : server.host();
        int p = port != null ? port : server.unix() ? 8080 : server.port();
        return withServer(server.withListen((h.contains(":") ? "[" + h + "]" : h) + ":" + p));
    }
}

package dev.manaknight.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.manaknight.runtime.effects.OutboundPolicy;
import dev.manaknight.runtime.json.ReadError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a TOML config (manaknight.toml) into a {@link Config}: every key optional, unknown keys
 * and bad values rejected with the file and the key named, relative paths resolved against the
 * file's folder.
 */
public final class ConfigLoader {
    /** The file looked for inside an app directory when no `--config` is given. */
    public static final String DEFAULT_FILE = "manaknight.toml";
    /** The schema looked for beside the app when the config names none. */
    public static final String DEFAULT_SCHEMA = "schema.sql";
    /** The migrations folder looked for beside the app when the config names none. */
    public static final String DEFAULT_MIGRATIONS = "migrations";
    public static final String DEFAULT_DB_URL = "sqlite:app.db";
    /** More event loops than this is a typo, not a tuning. */
    static final int MAX_IO_THREADS = 1024;
    static final int MAX_CONNECTIONS = 1 << 20;
    /** A journal segment smaller than this would rotate at nearly every record. */
    static final long MIN_SEGMENT = 64 << 10;

    private static final Map<String, Set<String>> KEYS = Map.of(
            "server", Set.of("listen", "workers", "queue", "max_requests_per_worker", "socket_mode", "drain_timeout",
                    "status_path", "ping_path", "openapi", "io_threads", "transport", "max_connections",
                    "idle_timeout", "pid", "body_budget", "health_path", "ready_path", "metrics_path", "drain_delay"),
            "limits", Set.of("memory", "cpu", "fuel", "timeout", "body"),
            "db", Set.of("url", "pool", "schema", "migrations", "retries", "isolation", "connect_timeout", "startup_wait"),
            "log", Set.of("access", "slowlog", "slowlog_timeout", "dev"),
            "http", Set.of("allowed_hosts", "allow_private", "timeout", "max_response"),
            "journal", Set.of("path", "durable", "segment_size", "keep", "queue", "redact", "recover_after"));
    /** The environment variable that holds the journal key: 32 bytes in base64 (`openssl rand -base64 32`). */
    public static final String JOURNAL_KEY = "MANAKNIGHT_JOURNAL_KEY";
    /** A header name (RFC 9110's token). */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern LISTEN = Pattern.compile("unix:/.+|(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):[0-9]{1,5}");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");

    private ConfigLoader() {}

    /**
     * The configuration for an app: `configFile` when given, else `APP/manaknight.toml` when it
     * exists, else the defaults. `app` (from the command line) wins over the file's `app` key.
     */
    public static Config load(Path app, Path configFile) throws ConfigException {
        return load(app, configFile, System.getenv());
    }

    /** {@link #load(Path, Path)} with `env` as the process environment (its `MANAKNIGHT_APP_…` variables). */
    public static Config load(Path app, Path configFile, Map<String, String> env) throws ConfigException {
        Path file = configFile;
        if (file == null && app != null && Files.isDirectory(app) && Files.isRegularFile(app.resolve(DEFAULT_FILE)))
            file = app.resolve(DEFAULT_FILE);
        if (file != null && !Files.isRegularFile(file)) throw new ConfigException(file + ": no such config file");
        JsonNode root = file == null ? null : read(file);
        return build(file, root, app, env);
    }

    /** Parses TOML text as if it were the file `file` (tests, and `--config` from memory). */
    public static Config parse(Path file, String toml, Path app) throws ConfigException {
        return parse(file, toml, app, Map.of());
    }

    /** {@link #parse(Path, String, Path)} with `env` as the process environment. */
    public static Config parse(Path file, String toml, Path app, Map<String, String> env) throws ConfigException {
        try {
            return build(file, TomlTree.parse(toml), app, env);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + ReadError.describe(e), e);
        }
    }

    private static JsonNode read(Path file) throws ConfigException {
        try {
            return TomlTree.read(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + ReadError.describe(e), e);
        }
    }

    private static Config build(Path file, JsonNode root, Path cliApp, Map<String, String> env) throws ConfigException {
        var r = new Reader(file, file != null ? file.toAbsolutePath().getParent()
                : cliApp == null ? Path.of("").toAbsolutePath() : appFolder(cliApp.toAbsolutePath()));
        if (root != null) {
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!k.equals("app") && !KEYS.containsKey(k)) throw r.error(k, "unknown key");
                if (KEYS.containsKey(k)) {
                    JsonNode section = root.get(k);
                    if (!section.isObject()) throw r.error(k, "must be a table [" + k + "]");
                    for (Iterator<String> f = section.fieldNames(); f.hasNext(); ) {
                        String key = f.next();
                        if (!KEYS.get(k).contains(key)) throw r.error(k + "." + key, "unknown key");
                    }
                }
            }
        }
        r.root = root;
        // `app` is the app's path (a string) or the [app] table of its config keys' values, where
        // `path` is the app's path (TOML allows one or the other, and fpm needs both).
        JsonNode appNode = r.node("app");
        if (appNode != null && !appNode.isTextual() && !appNode.isObject())
            throw r.error("app", "expected the app's path (a string) or the [app] table of its config keys");
        String pathKey = appNode != null && appNode.isObject() ? "app." + AppSettings.PATH_KEY : "app";
        Path app = cliApp != null ? cliApp : r.path(pathKey, null);
        var settings = new AppSettings(file, appNode != null && appNode.isObject() ? appNode : null,
                AppSettings.fromEnvironment(env));
        Path appDir = app == null ? r.base : appFolder(app.toAbsolutePath());

        var sd = Config.Server.DEFAULTS;
        String listen = r.string("server.listen", sd.listen());
        if (!LISTEN.matcher(listen).matches() || (!listen.startsWith("unix:") && Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)) > 65535))
            throw r.error("server.listen", "expected \"host:port\" or \"unix:/path\", got \"" + listen + "\"");
        String maxReq = r.node("server.max_requests_per_worker") != null && r.node("server.max_requests_per_worker").isTextual()
                ? r.string("server.max_requests_per_worker", "unlimited") : null;
        long maxRequests;
        if (maxReq != null) {
            if (!maxReq.equals("unlimited")) throw r.error("server.max_requests_per_worker", "expected a positive integer or \"unlimited\", got \"" + maxReq + "\"");
            maxRequests = 0;
        } else maxRequests = r.positive("server.max_requests_per_worker", 0);
        String mode = r.string("server.socket_mode", sd.socketMode());
        if (!MODE.matcher(mode).matches()) throw r.error("server.socket_mode", "expected an octal mode like \"0660\", got \"" + mode + "\"");
        long ioThreads = r.nonNegative("server.io_threads", sd.ioThreads());
        if (ioThreads > MAX_IO_THREADS) throw r.error("server.io_threads", "at most " + MAX_IO_THREADS + ", got " + ioThreads);
        String transport = r.string("server.transport", sd.transport());
        if (!Config.Server.TRANSPORTS.contains(transport))
            throw r.error("server.transport", "expected \"auto\", \"io_uring\", \"epoll\" or \"nio\", got \"" + transport + "\"");
        long maxConnections = r.nonNegative("server.max_connections", sd.maxConnections());
        if (maxConnections > MAX_CONNECTIONS)
            throw r.error("server.max_connections", "at most " + MAX_CONNECTIONS + ", got " + maxConnections);
        Duration idleTimeout = r.duration("server.idle_timeout", sd.idleTimeout());
        if (idleTimeout.isZero()) throw r.error("server.idle_timeout", "must be more than 0");
        var server = new Config.Server(listen, (int) r.positive("server.workers", sd.workers()),
                (int) r.nonNegative("server.queue", maxConnections > 0 ? Math.max(sd.queue(), maxConnections) : sd.queue()),
                maxRequests, mode,
                r.duration("server.drain_timeout", sd.drainTimeout()), r.urlPath("server.status_path", sd.statusPath()),
                r.urlPath("server.ping_path", sd.pingPath()), r.bool("server.openapi", sd.openapi()),
                (int) ioThreads, transport, (int) maxConnections, idleTimeout, r.path("server.pid", null),
                r.size("server.body_budget", 0), new Config.Probes(r.urlPath("server.health_path", sd.probes().health()),
                        r.urlPath("server.ready_path", sd.probes().ready()), r.urlPath("server.metrics_path", sd.probes().metrics()),
                        r.duration("server.drain_delay", sd.probes().drainDelay())));

        var ld = Config.Limits.DEFAULTS;
        var limits = new Config.Limits(r.size("limits.memory", ld.memory()), r.duration("limits.cpu", ld.cpu()),
                r.positive("limits.fuel", ld.fuel()), r.duration("limits.timeout", ld.timeout()), r.size("limits.body", ld.body()));
        if (limits.timeout().isZero()) throw r.error("limits.timeout", "must be greater than 0");

        String url = r.string("db.url", DEFAULT_DB_URL);
        url = resolveDbUrl(r, url);
        // A schema script or a migrations folder, each named or found beside the app; never both.
        Path schema = r.path("db.schema", null);
        Path migrations = r.path("db.migrations", null);
        if (migrations != null && !Files.isDirectory(migrations))
            throw r.error("db.migrations", "expected a folder of migrations, got " + migrations);
        if (schema == null && Files.isRegularFile(appDir.resolve(DEFAULT_SCHEMA))) schema = appDir.resolve(DEFAULT_SCHEMA);
        if (migrations == null && Files.isDirectory(appDir.resolve(DEFAULT_MIGRATIONS)))
            migrations = appDir.resolve(DEFAULT_MIGRATIONS);
        if (schema != null && migrations != null)
            throw r.error(r.node("db.schema") != null ? "db.schema" : "db.migrations", "the app has both a schema script ("
                    + schema + ") and migrations (" + migrations + "); keep one: the schema can be the first migration, "
                    + "V1__schema.sql");
        String level = r.string("db.isolation", Isolation.DEFAULT.key());
        Isolation isolation = Isolation.of(level);
        if (isolation == null)
            throw r.error("db.isolation", "expected \"read_committed\", \"repeatable_read\" or \"serializable\", got \""
                    + level + "\"");
        var db = new Config.Db(url, (int) r.positive("db.pool", 16), schema, migrations,
                (int) r.nonNegative("db.retries", Config.Db.DEFAULT_RETRIES), isolation,
                r.duration("db.connect_timeout", Config.Db.DEFAULT_CONNECT_TIMEOUT),
                r.duration("db.startup_wait", Config.Db.DEFAULT_STARTUP_WAIT));
        if (db.connectTimeout().isZero()) throw r.error("db.connect_timeout", "must be greater than 0");

        String access = r.string("log.access", "stdout");
        if (!Set.of("stdout", "stderr", "off").contains(access)) access = r.base.resolve(access).normalize().toString();
        var log = new Config.Log(access, r.path("log.slowlog", null),
                r.duration("log.slowlog_timeout", Duration.ofMillis(100)), r.bool("log.dev", false));
        var jd = Config.Journal.OFF;
        var journal = new Config.Journal(r.path("journal.path", jd.path()), r.bool("journal.durable", jd.durable()),
                r.size("journal.segment_size", jd.segmentSize()), (int) r.nonNegative("journal.keep", jd.keep()),
                (int) r.positive("journal.queue", jd.queue()), redact(r), journalKey(env.get(JOURNAL_KEY)),
                r.duration("journal.recover_after", jd.recoverAfter()));
        if (journal.segmentSize() < MIN_SEGMENT)
            throw r.error("journal.segment_size", "at least " + (MIN_SEGMENT >> 10) + "KB, got " + journal.segmentSize());
        return new Config(file, app, server, limits, db, log, http(r), journal, settings);
    }

    /** `journal.redact`: header names, the default list when absent (an empty list redacts nothing). */
    private static java.util.List<String> redact(Reader r) throws ConfigException {
        JsonNode list = r.node("journal.redact");
        if (list == null) return Config.Journal.REDACT;
        if (!list.isArray()) throw r.error("journal.redact", "expected a list of header names, got " + list);
        var out = new java.util.ArrayList<String>();
        for (JsonNode h : list) {
            if (!h.isTextual() || !TOKEN.matcher(h.textValue()).matches())
                throw r.error("journal.redact", "expected header names like \"Authorization\", got " + h);
            out.add(h.textValue());
        }
        return out;
    }

    /** The journal key from its environment variable's text, or null when unset; never quoted in a message. */
    public static javax.crypto.SecretKey journalKey(String base64) throws ConfigException {
        if (base64 == null || base64.isEmpty()) return null;
        byte[] key;
        try {
            key = java.util.Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            key = null;
        }
        if (key == null || key.length != 32)
            throw new ConfigException(JOURNAL_KEY + ": expected 32 bytes in base64 (make one with `openssl rand -base64 32`)");
        return new javax.crypto.spec.SecretKeySpec(key, "AES");
    }

    /** `[http]`: each allowed host an origin `scheme://host[:port]`, checked now rather than at the first call. */
    private static Config.Http http(Reader r) throws ConfigException {
        var hd = Config.Http.DEFAULTS;
        var allowed = new java.util.ArrayList<String>();
        JsonNode hosts = r.node("http.allowed_hosts");
        if (hosts != null && !hosts.isArray())
            throw r.error("http.allowed_hosts", "expected a list of \"scheme://host[:port]\", got " + hosts);
        if (hosts != null) {
            for (JsonNode h : hosts) {
                String why = h.isTextual() ? OutboundPolicy.Origin.invalid(h.textValue()) : "not a string";
                if (why != null) throw r.error("http.allowed_hosts", "expected \"scheme://host[:port]\", got " + h + ": " + why);
                allowed.add(h.textValue());
            }
        }
        var http = new Config.Http(allowed, r.bool("http.allow_private", hd.allowPrivate()),
                r.duration("http.timeout", hd.timeout()), r.size("http.max_response", hd.maxResponse()));
        if (http.timeout().isZero()) throw r.error("http.timeout", "must be greater than 0");
        return http;
    }

    /** The folder of an app: itself when a directory, else the `.mkb` file's folder. */
    public static Path appFolder(Path app) {
        return Files.isDirectory(app) || app.getParent() == null ? app : app.getParent();
    }

    private static String resolveDbUrl(Reader r, String url) throws ConfigException {
        if (url.startsWith("sqlite:")) {
            String p = url.substring("sqlite:".length());
            if (p.isEmpty()) throw r.error("db.url", "expected sqlite:PATH, got \"" + url + "\"");
            if (p.equals(":memory:") || p.startsWith("file:")) return url;
            return "sqlite:" + r.base.resolve(p).normalize();
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) return url;
        throw r.error("db.url", "expected \"sqlite:PATH\" or \"postgresql://…\", got \"" + url + "\"");
    }

    /** Typed reads of dotted keys with errors that name the file and the key. */
    private static final class Reader {
        final Path file;
        final Path base;
        JsonNode root;

        Reader(Path file, Path base) {
            this.file = file;
            this.base = base;
        }

        ConfigException error(String key, String what) {
            return new ConfigException((file == null ? "config" : file.toString()) + ": `" + key + "`: " + what);
        }

        JsonNode node(String key) {
            if (root == null) return null;
            JsonNode n = root;
            for (String part : key.split("\\.")) {
                n = n.get(part);
                if (n == null) return null;
            }
            return n;
        }

        String string(String key, String dflt) throws ConfigException {
            JsonNode n = node(key);
            if (n == null) return dflt;
            if (!n.isTextual()) throw error(key, "expected a string, got " + n);
            return n.textValue();
        }

        boolean bool(String key, boolean dflt) throws ConfigException {
            JsonNode n = node(key);
            if (n == null) return dflt;
            if (!n.isBoolean()) throw error(key, "expected true or false, got " + n);
            return n.booleanValue();
        }

        long positive(String key, long dflt) throws ConfigException {
            long v = integer(key, dflt);
            if (v <= 0 && node(key) != null) throw error(key, "must be greater than 0, got " + v);
            return v;
        }

        long nonNegative(String key, long dflt) throws ConfigException {
            long v = integer(key, dflt);
            if (v < 0) throw error(key, "must not be negative, got " + v);
            return v;
        }

        private long integer(String key, long dflt) throws ConfigException {
            JsonNode n = node(key);
            if (n == null) return dflt;
            if (!n.isIntegralNumber()) throw error(key, "expected an integer, got " + n);
            if (!n.canConvertToLong() || n.longValue() > Integer.MAX_VALUE)
                throw error(key, "at most " + Integer.MAX_VALUE + ", got " + n);
            return n.longValue();
        }

        long size(String key, long dflt) throws ConfigException {
            JsonNode n = node(key);
            if (n == null) return dflt;
            if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() > 0) return n.longValue();
            return parsed(key, n, Units::size);
        }

        Duration duration(String key, Duration dflt) throws ConfigException {
            JsonNode n = node(key);
            return n == null ? dflt : parsed(key, n, Units::duration);
        }

        private <T> T parsed(String key, JsonNode n, Function<String, T> parser) throws ConfigException {
            if (!n.isTextual()) throw error(key, "expected a string with a unit, got " + n);
            try {
                return parser.apply(n.textValue());
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw error(key, e.getMessage());
            }
        }

        Path path(String key, Path dflt) throws ConfigException {
            String s = string(key, null);
            if (s == null) return dflt;
            if (s.isEmpty()) throw error(key, "must not be empty");
            return base.resolve(s).normalize();
        }

        String urlPath(String key, String dflt) throws ConfigException {
            String s = string(key, dflt);
            if (!s.startsWith("/")) throw error(key, "must start with /, got \"" + s + "\"");
            return s;
        }
    }
}

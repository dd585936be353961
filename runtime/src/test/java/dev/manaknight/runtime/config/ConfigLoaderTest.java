package dev.manaknight.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir Path dir;

    /** Issue 16: a slow log appeared in the app's folder by default; it is written only where configured. */
    @Test void theSlowLogIsOffUnlessConfigured() throws Exception {
        assertNull(ConfigLoader.parse(Path.of("x.toml"), "", null).log().slowlog());
        assertEquals(Path.of("/var/log/slow.log"),
                ConfigLoader.parse(Path.of("/etc/x.toml"), "[log]\nslowlog = \"/var/log/slow.log\"\n", null).log().slowlog());
    }

    @Test void goodFileWithRelativePathsResolvedAgainstItsFolder() throws Exception {
        Path cfg = dir.resolve("conf/prod.toml");
        Files.createDirectories(cfg.getParent());
        Files.writeString(cfg, """
                app = "../app"
                [server]
                listen = "0.0.0.0:9090"
                workers = 4
                queue = 10
                max_requests_per_worker = "unlimited"
                drain_timeout = "2s"
                [limits]
                memory = "512KB"
                cpu = "10ms"
                fuel = 5000
                timeout = "100ms"
                body = "2MB"
                [db]
                url = "sqlite:data/app.db"
                pool = 3
                schema = "schema.sql"
                [log]
                access = "off"
                dev = true
                """);
        Config c = ConfigLoader.load(null, cfg);
        assertEquals(dir.resolve("app").toAbsolutePath().normalize(), c.app());
        assertEquals("0.0.0.0", c.server().host());
        assertEquals(9090, c.server().port());
        assertEquals(4, c.server().workers());
        assertEquals(10, c.server().queue());
        assertEquals(Duration.ofSeconds(2), c.server().drainTimeout());
        assertEquals(512 * 1024, c.limits().memory());
        assertEquals(Duration.ofMillis(10), c.limits().cpu());
        assertEquals(5000, c.limits().fuel());
        assertEquals(2 * 1024 * 1024, c.limits().body());
        assertEquals("sqlite:" + dir.resolve("conf/data/app.db").toAbsolutePath().normalize(), c.db().url());
        assertEquals(3, c.db().pool());
        assertEquals(dir.resolve("conf/schema.sql").toAbsolutePath().normalize(), c.db().schema());
        assertEquals("off", c.log().access());
        assertTrue(c.log().dev());
    }

    @Test void defaultsAndTheAppFolder() throws Exception {
        Path app = Files.createDirectories(dir.resolve("users"));
        Files.writeString(app.resolve("schema.sql"), "CREATE TABLE t (x INT);");
        Config c = ConfigLoader.load(app, null);
        assertNull(c.source());
        assertEquals("127.0.0.1:8080", c.server().listen());
        assertEquals(256 * 1024, c.limits().memory());
        assertEquals(Duration.ofSeconds(10), c.limits().timeout());
        assertEquals("sqlite:" + app.resolve("app.db").toAbsolutePath().normalize(), c.db().url());
        assertEquals(app.resolve("schema.sql"), c.db().schema());
        Files.writeString(app.resolve("manaknight.toml"), "[limits]\nfuel = 77\n");
        assertEquals(77, ConfigLoader.load(app, null).limits().fuel());
    }

    /** Issue 14: `APP/migrations/` is found like `APP/schema.sql`; an app has one or the other. */
    @Test void migrationsAreFoundBesideTheAppAndNeverBesideASchema() throws Exception {
        Path app = Files.createDirectories(dir.resolve("ledger"));
        Files.createDirectories(app.resolve("migrations"));
        Config c = ConfigLoader.load(app, null);
        assertEquals(app.resolve("migrations"), c.db().migrations());
        assertNull(c.db().schema());
        Files.writeString(app.resolve("schema.sql"), "CREATE TABLE t (x INT);");
        var both = assertThrows(ConfigException.class, () -> ConfigLoader.load(app, null));
        assertTrue(both.getMessage().contains("`db.migrations`: the app has both a schema script"), both.getMessage());
        Files.writeString(app.resolve("manaknight.toml"), "[db]\nmigrations = \"nowhere\"\n");
        var missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(app, null));
        assertTrue(missing.getMessage().contains("`db.migrations`: expected a folder of migrations"), missing.getMessage());
    }

    @Test void tomlSyntaxErrorsNameFileLineAndColumn() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\nworkers = \n", null));
        assertEquals("x.toml: Newline not permitted here at line 2, column 11", e.getMessage());
    }

    /** Issue 15, item 9: `[http]`, no outbound host by default; each allowed origin checked at start. */
    @Test void outboundHostsAreNoneByDefaultAndEachIsAnOrigin() throws Exception {
        assertEquals(Config.Http.DEFAULTS, ConfigLoader.parse(Path.of("x.toml"), "", null).http());
        assertEquals(java.util.List.of(), Config.Http.DEFAULTS.allowedHosts());
        assertEquals(false, Config.Http.DEFAULTS.allowPrivate());
        var c = ConfigLoader.parse(Path.of("x.toml"), """
                [http]
                allowed_hosts = ["https://api.example.com", "http://127.0.0.1:9000"]
                allow_private = true
                timeout = "2s"
                max_response = "1MB"
                """, null).http();
        assertEquals(new Config.Http(java.util.List.of("https://api.example.com", "http://127.0.0.1:9000"), true,
                java.time.Duration.ofSeconds(2), 1 << 20), c);
        var path = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"),
                "[http]\nallowed_hosts = [\"https://api.example.com/v1\"]\n", null));
        assertEquals("x.toml: `http.allowed_hosts`: expected \"scheme://host[:port]\", "
                + "got \"https://api.example.com/v1\": no path", path.getMessage());
        var bare = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"),
                "[http]\nallowed_hosts = \"https://api.example.com\"\n", null));
        assertTrue(bare.getMessage().startsWith("x.toml: `http.allowed_hosts`: expected a list"), bare.getMessage());
        var zero = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "[http]\ntimeout = \"0s\"\n", null));
        assertEquals("x.toml: `http.timeout`: must be greater than 0", zero.getMessage());
        var unknown = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "[http]\nallowed = []\n", null));
        assertEquals("x.toml: `http.allowed`: unknown key", unknown.getMessage());
    }

    @Test void unknownKeysAreRejectedNamingKeyAndFile() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\nwrokers = 3\n", null));
        assertEquals("x.toml: `server.wrokers`: unknown key", e.getMessage());
        var top = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[limit]\nfuel = 3\n", null));
        assertEquals("x.toml: `limit`: unknown key", top.getMessage());
    }

    @Test void badValuesAreRejected() {
        var size = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[limits]\nmemory = \"256 KB\"\n", null));
        assertTrue(size.getMessage().startsWith("x.toml: `limits.memory`: expected a size"), size.getMessage());
        var dur = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[limits]\ncpu = \"5\"\n", null));
        assertTrue(dur.getMessage().startsWith("x.toml: `limits.cpu`: expected a duration"), dur.getMessage());
        var type = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\nworkers = \"8\"\n", null));
        assertEquals("x.toml: `server.workers`: expected an integer, got \"8\"", type.getMessage());
        var zero = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\nworkers = 0\n", null));
        assertTrue(zero.getMessage().contains("`server.workers`: must be greater than 0"));
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[db]\nurl = \"mysql://x\"\n", null));
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\nlisten = \"nohost\"\n", null));
    }

    /** Issue 14: how requests meet a database that loses races or is out of reach. */
    @Test void theDatabaseRetriesIsolationAndConnectTimeout() throws Exception {
        var d = ConfigLoader.parse(Path.of("x.toml"), "", null).db();
        assertEquals(3, d.retries());
        assertEquals(Isolation.SERIALIZABLE, d.isolation());
        assertEquals(java.time.Duration.ofSeconds(2), d.connectTimeout());
        var set = ConfigLoader.parse(Path.of("x.toml"),
                "[db]\nretries = 0\nisolation = \"read_committed\"\nconnect_timeout = \"500ms\"\n", null).db();
        assertEquals(0, set.retries());
        assertEquals(Isolation.READ_COMMITTED, set.isolation());
        assertEquals(java.time.Duration.ofMillis(500), set.connectTimeout());
        var level = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "[db]\nisolation = \"snapshot\"\n", null));
        assertEquals("x.toml: `db.isolation`: expected \"read_committed\", \"repeatable_read\" or \"serializable\", got \"snapshot\"",
                level.getMessage());
        var negative = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[db]\nretries = -1\n", null));
        assertEquals("x.toml: `db.retries`: must not be negative, got -1", negative.getMessage());
        var zero = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "[db]\nconnect_timeout = \"0ms\"\n", null));
        assertEquals("x.toml: `db.connect_timeout`: must be greater than 0", zero.getMessage());
    }

    @Test void openapiIsOffUnlessEnabledAndMustBeABoolean() throws Exception {
        assertEquals(false, ConfigLoader.parse(Path.of("x.toml"), "", null).server().openapi());
        Config on = ConfigLoader.parse(Path.of("x.toml"), "[server]\nopenapi = true\n", null);
        assertEquals(true, on.server().openapi());
        assertEquals(true, on.withListen("::1", 9).server().openapi(), "kept when flags change the address");
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\nopenapi = \"yes\"\n", null));
        assertEquals("x.toml: `server.openapi`: expected true or false, got \"yes\"", e.getMessage());
    }

    @Test void maxConnectionsIsAutomaticUnlessSetWithinItsLimits() throws Exception {
        assertEquals(0, ConfigLoader.parse(Path.of("x.toml"), "", null).server().maxConnections());
        Config set = ConfigLoader.parse(Path.of("x.toml"), "[server]\nmax_connections = 512\n", null);
        assertEquals(512, set.server().maxConnections());
        assertEquals(512, set.withListen("::1", 9).server().maxConnections(), "kept when flags change the address");
        assertEquals(1 << 20, ConfigLoader.parse(Path.of("x.toml"), "[server]\nmax_connections = 1048576\n", null)
                .server().maxConnections());
        var big = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\nmax_connections = 1048577\n", null));
        assertEquals("x.toml: `server.max_connections`: at most 1048576, got 1048577", big.getMessage());
        var negative = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\nmax_connections = -1\n", null));
        assertTrue(negative.getMessage().contains("`server.max_connections`: must not be negative"), negative.getMessage());
    }

    /** The production config that examples/nginx ships parses, with the values its comments promise. */
    @Test void theShippedProdTomlParses() throws Exception {
        Path file = Path.of("../examples/nginx/prod.toml");
        Config c = ConfigLoader.parse(file.toAbsolutePath(), java.nio.file.Files.readString(file), null);
        assertEquals("unix:/run/manaknight-fpm.sock", c.server().listen());
        assertEquals(Path.of("/run/manaknight-fpm.pid"), c.server().pidFile());
        assertEquals(8, c.server().workers());
    }

    @Test void thePidFileIsOffUnlessSetAndResolvesLikeEveryPath() throws Exception {
        assertNull(ConfigLoader.parse(Path.of("/etc/mk/x.toml"), "", null).server().pidFile());
        assertEquals(Path.of("/etc/mk/run/fpm.pid"),
                ConfigLoader.parse(Path.of("/etc/mk/x.toml"), "[server]\npid = \"run/fpm.pid\"\n", null).server().pidFile());
        var empty = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\npid = \"\"\n", null));
        assertTrue(empty.getMessage().contains("`server.pid`: must not be empty"), empty.getMessage());
    }

    @Test void idleTimeoutIsAMinuteUnlessSetAndNeverZero() throws Exception {
        assertEquals(java.time.Duration.ofSeconds(60), ConfigLoader.parse(Path.of("x.toml"), "", null).server().idleTimeout());
        assertEquals(java.time.Duration.ofSeconds(5),
                ConfigLoader.parse(Path.of("x.toml"), "[server]\nidle_timeout = \"5s\"\n", null).server().idleTimeout());
        var zero = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\nidle_timeout = \"0s\"\n", null));
        assertEquals("x.toml: `server.idle_timeout`: must be more than 0", zero.getMessage());
    }

    /** Issue 18: the journal is off unless a path is set; its path resolves like every path; a segment is at least 64KB. */
    @Test void theJournalIsOffUnlessAPathIsSet() throws Exception {
        Config off = ConfigLoader.parse(Path.of("/etc/x.toml"), "", null);
        assertEquals(Config.Journal.OFF, off.journal());
        assertTrue(!off.journal().on());
        Config on = ConfigLoader.parse(Path.of("/etc/x.toml"), """
                [journal]
                path = "journal"
                durable = true
                segment_size = "64KB"
                keep = 3
                queue = 10
                """, null);
        assertEquals(new Config.Journal(Path.of("/etc/journal"), true, 64 << 10, 3, 10), on.journal());
        var small = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "[journal]\nsegment_size = " + ((64 << 10) - 1) + "\n", null));
        assertEquals("x.toml: `journal.segment_size`: at least 64KB, got 65535", small.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[journal]\nqueue = 0\n", null));
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[journal]\nfsync = true\n", null));
    }

    /**
     * Issue 18: credentials are redacted by default, the list is the config's when given; the
     * journal key comes from the environment, 32 bytes in base64, and a message never quotes it.
     */
    @Test void theJournalRedactsCredentialsAndTakesItsKeyFromTheEnvironment() throws Exception {
        Config plain = ConfigLoader.parse(Path.of("x.toml"), "[journal]\npath = \"j\"\n", null);
        assertEquals(List.of("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"), plain.journal().redact());
        assertNull(plain.journal().key());
        Config mine = ConfigLoader.parse(Path.of("x.toml"), "[journal]\nredact = [\"X-Api-Key\"]\n", null);
        assertEquals(List.of("X-Api-Key"), mine.journal().redact());
        assertEquals(List.of(), ConfigLoader.parse(Path.of("x.toml"), "[journal]\nredact = []\n", null).journal().redact());
        var bad = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "[journal]\nredact = [\"no spaces\"]\n", null));
        assertTrue(bad.getMessage().contains("`journal.redact`"), bad.getMessage());
        String key32 = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        Config keyed = ConfigLoader.parse(Path.of("x.toml"), "", null, Map.of(ConfigLoader.JOURNAL_KEY, key32));
        assertEquals(32, keyed.journal().key().getEncoded().length);
        assertTrue(keyed.journal().toString().contains("key=set"), keyed.journal().toString());
        String key31 = java.util.Base64.getEncoder().encodeToString(new byte[31]);
        var shortKey = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "", null, Map.of(ConfigLoader.JOURNAL_KEY, key31)));
        assertEquals(ConfigLoader.JOURNAL_KEY + ": expected 32 bytes in base64 (make one with `openssl rand -base64 32`)",
                shortKey.getMessage());
        assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Path.of("x.toml"), "", null, Map.of(ConfigLoader.JOURNAL_KEY, "not base64!")));
    }

    @Test void ioThreadsAreAutomaticUnlessSetWithinTheirLimits() throws Exception {
        Config auto = ConfigLoader.parse(Path.of("x.toml"), "", null);
        assertEquals(0, auto.server().ioThreads());
        assertEquals(3, auto.server().ioThreads(3), "0 means: the transport's own default");
        Config two = ConfigLoader.parse(Path.of("x.toml"), "[server]\nio_threads = 2\n", null);
        assertEquals(2, two.server().ioThreads(3));
        assertEquals(2, two.withListen("::1", 9).server().ioThreads(), "kept when flags change the address");
        assertEquals(1024, ConfigLoader.parse(Path.of("x.toml"), "[server]\nio_threads = 1024\n", null).server().ioThreads());
        var big = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\nio_threads = 1025\n", null));
        assertEquals("x.toml: `server.io_threads`: at most 1024, got 1025", big.getMessage());
        var negative = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\nio_threads = -1\n", null));
        assertTrue(negative.getMessage().contains("`server.io_threads`: must not be negative"), negative.getMessage());
    }

    @Test void theTransportIsAutomaticOrOneOfFour() throws Exception {
        assertEquals("auto", ConfigLoader.parse(Path.of("x.toml"), "", null).server().transport());
        for (String t : new String[] {"io_uring", "epoll", "nio", "auto"})
            assertEquals(t, ConfigLoader.parse(Path.of("x.toml"), "[server]\ntransport = \"" + t + "\"\n", null).server().transport());
        var bad = assertThrows(ConfigException.class, () -> ConfigLoader.parse(Path.of("x.toml"), "[server]\ntransport = \"kqueue\"\n", null));
        assertEquals("x.toml: `server.transport`: expected \"auto\", \"io_uring\", \"epoll\" or \"nio\", got \"kqueue\"", bad.getMessage());
    }

    @Test void unitsAreStrict() {
        assertEquals(1024, Units.size("1KB"));
        assertEquals(1024 * 1024, Units.size("1MB"));
        assertEquals(Duration.ofMillis(100), Units.duration("100ms"));
        assertEquals(Duration.ofNanos(500_000), Units.duration("500us"));
        for (String bad : new String[] {"1kb", "1.5MB", "MB", "-1KB", " 1KB"})
            assertThrows(IllegalArgumentException.class, () -> Units.size(bad), bad);
        for (String bad : new String[] {"10", "1h", "1.5s", "s"})
            assertThrows(IllegalArgumentException.class, () -> Units.duration(bad), bad);
    }

    @Test void commandLineFlagsWin() throws Exception {
        Config c = ConfigLoader.parse(Path.of("x.toml"), "[server]\nlisten = \"0.0.0.0:9000\"\n", null);
        assertEquals("0.0.0.0:7000", c.withListen(null, 7000).server().listen());
        assertEquals("127.0.0.1:9000", c.withListen("127.0.0.1", null).server().listen());
        assertEquals("[::1]:1", c.withListen("::1", 1).server().listen());
        assertEquals("::1", c.withListen("::1", 1).server().host());
    }
}

package dev.manaknight.cli.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL of the test's own, so that it may be stopped and started without touching anyone
 * else's: `initdb` into a temporary directory, its own port on 127.0.0.1, `trust` for the role
 * `manaknight`, `pg_ctl stop -m fast` and `pg_ctl start`. As root (CI) every command runs as the
 * `postgres` user, since PostgreSQL refuses to run as root.
 */
final class PgCluster implements AutoCloseable {
    /** The role the instances connect as (no password: trust authentication, 127.0.0.1 only). */
    static final String ROLE = "manaknight";
    /** How long initdb, a start or a stop may take before it is a failure. */
    static final long COMMAND_SECONDS = 120;

    private final Path bin;
    private final Path base;
    private final int port;
    private final List<String> asUser;

    private PgCluster(Path bin, Path base, int port, List<String> asUser) {
        this.bin = bin;
        this.base = base;
        this.port = port;
        this.asUser = asUser;
    }

    /** The newest installed server's bin directory (/usr/lib/postgresql/N/bin), or null. */
    static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PgCluster::version)).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Why this machine cannot run one, or null when it can. */
    static String unavailable() {
        if (binaries() == null)
            return "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (.ci/postgres.sh installs them)";
        if (root() && !Files.isExecutable(Path.of("/usr/sbin/runuser")))
            return "running as root without /usr/sbin/runuser to run PostgreSQL as the postgres user";
        if (root() && !userExists("postgres")) return "running as root and there is no `postgres` user to run PostgreSQL as";
        return null;
    }

    private static boolean root() { return "root".equals(System.getProperty("user.name")); }

    private static boolean userExists(String name) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(name + ":"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates and starts a new cluster in a temporary directory of its own. */
    static PgCluster create() throws Exception {
        Path bin = binaries();
        Path base = Files.createTempDirectory("manaknight-pg");
        List<String> asUser = List.of();
        if (root()) {
            var lookup = base.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(base, lookup.lookupPrincipalByName("postgres"));
            asUser = List.of("/usr/sbin/runuser", "-u", "postgres", "--");
        }
        int port = Ports.free();
        var pg = new PgCluster(bin, base, port, asUser);
        pg.run("initdb", "-D", pg.data().toString(), "-U", ROLE, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
        // Appended by root to a file initdb (the postgres user) made: its owner stays postgres.
        Files.writeString(pg.data().resolve("postgresql.conf"), """

                # manaknight's cluster test
                port = %d
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '%s'
                """.formatted(port, base), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        pg.start();
        return pg;
    }

    private Path data() { return base.resolve("data"); }

    /** The server's log (its stderr while it runs). */
    Path log() { return base.resolve("postgresql.log"); }

    /** A database's url as a Manaknight config writes it. */
    String url(String database) { return "postgresql://127.0.0.1:" + port + "/" + database + "?user=" + ROLE; }

    /** A JDBC connection to `database`. */
    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + ROLE);
    }

    /** A new, empty database owned by {@link #ROLE}. */
    void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
    }

    /** Starts the server and returns once it accepts connections. */
    void start() throws Exception {
        run("pg_ctl", "-D", data().toString(), "-l", log().toString(), "-w", "-t", String.valueOf(COMMAND_SECONDS), "start");
    }

    /** Stops the server the way an operator restarts it: `-m fast` ends every session (their transactions roll back). */
    void stop() throws Exception {
        run("pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "-t", String.valueOf(COMMAND_SECONDS), "stop");
    }

    /** Stops the server at once and removes the directory. */
    @Override public void close() throws Exception {
        try {
            if (Files.exists(data().resolve("postmaster.pid")))
                run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "-t", String.valueOf(COMMAND_SECONDS), "stop");
        } finally {
            try (Stream<Path> all = Files.walk(base)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private void run(String program, String... args) throws Exception {
        var cmd = new ArrayList<>(asUser);
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        // In a directory the postgres user may enter (not the build's, under root's home).
        Process p = new ProcessBuilder(cmd).directory(base.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not end:\n" + out);
        }
        if (p.exitValue() != 0)
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + out + logTail());
    }

    private String logTail() {
        try {
            String log = Files.readString(log());
            return "\nserver log (tail):\n" + log.substring(Math.max(0, log.length() - 2000));
        } catch (IOException e) {
            return "";
        }
    }
}

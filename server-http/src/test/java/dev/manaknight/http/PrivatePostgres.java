package dev.manaknight.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own — `initdb` in a temporary directory, `postgres` on a free
 * port of 127.0.0.1 — that the test may freeze (SIGSTOP), thaw, stop and start without touching
 * any other test's database. The binaries come from `/usr/lib/postgresql/N/bin` (the Debian
 * package that `.ci/postgres.sh` installs); {@link #missing} says why there are none. As root
 * (CI), the server runs as the `postgres` user, because `initdb` refuses root.
 */
final class PrivatePostgres implements AutoCloseable {
    private static final Path PACKAGES = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final List<String> asUser;
    private volatile boolean frozen;

    private PrivatePostgres(Path bin, Path dir, int port, List<String> asUser) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asUser = asUser;
    }

    /** Why no private server can be started here, or null when one can. */
    static String missing() {
        if (binaries() == null) return "no PostgreSQL binaries under " + PACKAGES + " (.ci/postgres.sh installs them)";
        if (root() && !userExists())
            return "running as root and there is no `postgres` user to run the server as";
        return null;
    }

    /** The newest `/usr/lib/postgresql/N/bin` that has initdb, pg_ctl and postgres, or null. */
    private static Path binaries() {
        if (!Files.isDirectory(PACKAGES)) return null;
        try (Stream<Path> versions = Files.list(PACKAGES)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Stream.of("initdb", "pg_ctl", "postgres").allMatch(x -> Files.isExecutable(b.resolve(x))))
                    .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean root() { return "root".equals(System.getProperty("user.name")); }

    private static boolean userExists() {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("postgres:"));
        } catch (IOException e) {
            return false;
        }
    }

    /** A new server: initdb, then {@link #start}; the caller checked {@link #missing}. */
    static PrivatePostgres create() throws Exception {
        Path dir = Files.createTempDirectory("manaknight-pg-");
        List<String> asUser = root() ? List.of("runuser", "-u", "postgres", "--") : List.of();
        if (root()) run(List.of("chown", "postgres", dir.toString()));
        var pg = new PrivatePostgres(binaries(), dir, freePort(), asUser);
        try {
            pg.pg("initdb", "-D", pg.data.toString(), "-U", "manaknight", "-A", "trust", "-E", "UTF8", "--no-sync");
            pg.start();
            return pg;
        } catch (Exception e) {
            pg.close();
            throw e;
        }
    }

    /** The server's URL as a `[db] url` (its `postgres` database, the superuser `manaknight`). */
    String url() { return "postgresql://127.0.0.1:" + port + "/postgres?user=manaknight"; }

    /** Starts the server (again) and waits until it accepts connections. */
    void start() throws Exception {
        pg("pg_ctl", "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "30", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    /** Stops the server (fast: open connections are closed) and waits until it is down. */
    void stop() throws Exception { pg("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop"); }

    /** Freezes every process of the server (SIGSTOP): connections stay open, nothing answers. */
    void freeze() throws Exception {
        frozen = true;
        signal("-STOP");
    }

    /** Lets a frozen server run again (SIGCONT); nothing when it is not frozen. */
    void thaw() throws Exception {
        if (!frozen) return;
        signal("-CONT");
        frozen = false;
    }

    /**
     * Signals the postmaster and every process under it (one that ended meanwhile is no error).
     * The postmaster first, then its children listed after it: a backend it forked between a
     * listing and the signal (the pool filling itself) would otherwise go on answering while the
     * server is "frozen" (a CI run saw a read answered 200).
     */
    private void signal(String sig) throws Exception {
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim());
        kill(sig, List.of(postmaster), postmaster);
        var children = new ArrayList<Long>();
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> children.add(d.pid())));
        if (!children.isEmpty()) kill(sig, children, postmaster);
    }

    private void kill(String sig, List<Long> pids, long postmaster) throws Exception {
        var cmd = new ArrayList<>(List.of("kill", sig));
        for (long pid : pids) cmd.add(String.valueOf(pid));
        try {
            run(cmd);
        } catch (IOException e) {
            if (ProcessHandle.of(postmaster).isEmpty()) throw e; // the server itself is gone
        }
    }

    private void pg(String tool, String... args) throws Exception {
        var cmd = new ArrayList<>(asUser);
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": did not end within 60 s");
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + "\n" + out);
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Thaws (a frozen server cannot stop), stops at once and removes the directory. */
    @Override public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                thaw(); // a frozen server cannot stop
                pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop");
            }
        } catch (Exception e) {
            System.err.println("PrivatePostgres: could not stop the server in " + dir + ": " + e.getMessage());
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("PrivatePostgres: could not remove " + dir + ": " + e.getMessage());
        }
    }
}

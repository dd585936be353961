package dev.manaknight.fcgi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A Manaknight-FPM process for integration tests: started, signalled and awaited by pid. */
final class FpmProcess implements AutoCloseable {
    /** How the JVM is started. */
    enum Launch {
        /** As the `manaknight` launcher starts `fpm`: six signals blocked, `-Xrs`; SIGQUIT stops it. */
        LAUNCHER,
        /** A plain `java` command line: `sun.misc.Signal`, SIGQUIT is the JVM's thread dump. */
        PLAIN,
        /** `-Xrs` without the blocked signals: refused at start. */
        XRS_ONLY
    }

    final Process process;
    final Path stderr;
    /** Everything the process wrote to stdout so far. */
    final java.util.Queue<String> stdout = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private FpmProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread.ofPlatform().daemon().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    stdout.add(line);
                    if (line.startsWith("manaknight: fpm listening on ")) ready.complete(line);
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("fpm exited before it was ready"));
        });
    }

    /** `dir/fpm.toml`: the v1 test app on the unix socket {@code sock}, its SQLite file in {@code dir}. */
    static Path writeConfig(Path dir, Path sock) throws IOException {
        Path config = dir.resolve("fpm.toml");
        Files.writeString(config, """
                app = "%s"
                [server]
                listen = "unix:%s"
                [db]
                url = "sqlite:%s"
                """.formatted(Path.of("src/test/resources/apps/v1").toAbsolutePath(), sock, dir.resolve("app.db")));
        return config;
    }

    /** Starts `FpmProcessMain config [--graceful]` as the launcher does and waits for its ready line. */
    static FpmProcess start(Path config, boolean graceful, Path stderr) throws Exception {
        return start(config, graceful, stderr, Launch.LAUNCHER);
    }

    /** Starts `FpmProcessMain config [--graceful]` with this JVM's class path and waits for its ready line. */
    static FpmProcess start(Path config, boolean graceful, Path stderr, Launch launch) throws Exception {
        return start(config, graceful, stderr, launch, List.of());
    }

    /** The same, the command run under {@code wrapper} (e.g. `prlimit --nofile=N --`). */
    static FpmProcess start(Path config, boolean graceful, Path stderr, Launch launch, List<String> wrapper) throws Exception {
        Process p = launch(config, graceful, stderr, launch, wrapper);
        var f = new FpmProcess(p, stderr);
        try {
            f.ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("fpm did not start: " + e + "\n" + Files.readString(stderr), e);
        }
        return f;
    }

    /** Starts the process without waiting for it. */
    static Process launch(Path config, boolean graceful, Path stderr, Launch launch) throws IOException {
        return launch(config, graceful, stderr, launch, List.of());
    }

    static Process launch(Path config, boolean graceful, Path stderr, Launch launch, List<String> wrapper) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        var cmd = new java.util.ArrayList<>(wrapper);
        if (launch == Launch.LAUNCHER) cmd.addAll(List.of("env", "--block-signal=" + String.join(",", FpmSignals.NAMES), "--"));
        cmd.add(java);
        if (launch != Launch.PLAIN) cmd.addAll(List.of("-Xrs", "-XX:+StartAttachListener"));
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                FpmProcessMain.class.getName(), config.toString()));
        if (graceful) cmd.add("--graceful");
        var pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        pb.environment().put("_JAVA_SR_SIGNUM", FpmSignals.SUSPEND_SIGNAL); // as the launcher does: USR2 is ours
        return pb.start();
    }

    void signal(String name) throws Exception {
        int rc = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (rc != 0) throw new IOException("kill -" + name + " failed");
    }

    /** SIGTERM, then the exit code (-1 when it did not exit within the timeout). */
    int terminate(long seconds) throws Exception {
        return stop("TERM", seconds);
    }

    /** A stop signal, then the exit code (-1 when it did not exit within the timeout). */
    int stop(String signal, long seconds) throws Exception {
        signal(signal);
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    String log() throws IOException { return Files.readString(stderr); }

    @Override public void close() {
        if (process.isAlive()) process.destroyForcibly();
    }
}

package dev.manaknight.cli.cluster;

import dev.manaknight.cli.LauncherFlags;
import dev.manaknight.cli.Main;
import dev.manaknight.cli.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the cluster — `manaknight serve` or `manaknight fpm` on a port of its own — in a
 * process of its own, run from this build's class path. Started again after each stop; its
 * output (every run's, one after the other) goes to one log file.
 */
final class Instance {
    /** How long a start (the database may be down: `db.startup_wait`) or a drain may take before it is a failure. */
    static final Duration DEADLINE = Duration.ofSeconds(90);

    /** The line written to the log before each start. */
    private static final String START_MARK = "---- start";

    /** The server an instance runs. */
    enum Kind { SERVE, FPM }

    final Kind kind;
    final int port;
    private final Path config;
    private final Path log;
    private Process process;

    Instance(Kind kind, int port, Path config, Path log) {
        this.kind = kind;
        this.port = port;
        this.config = config;
        this.log = log;
    }

    /** Starts the process and returns once it serves: `serve`'s readiness answers 200, `fpm` accepts. */
    void start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // The launcher's heap and collector; C1 only, so that six JVMs start quickly on a small machine.
        var cmd = new ArrayList<>(List.of(java, LauncherFlags.HEAP, "-XX:TieredStopAtLevel=1"));
        cmd.addAll(LauncherFlags.collector());
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(switch (kind) {
            case SERVE -> List.of("serve", "--config", config.toString(), "--port", String.valueOf(port));
            case FPM -> List.of("fpm", "--config", config.toString());
        });
        Files.writeString(log, START_MARK + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            while (!ready(client)) {
                if (!process.isAlive())
                    throw new IOException(this + " exited " + process.exitValue() + " while starting:\n" + tail());
                if (System.nanoTime() - deadline > 0) {
                    process.destroyForcibly();
                    throw new IOException(this + " was not ready within " + DEADLINE.toSeconds() + " s:\n" + tail());
                }
                Thread.sleep(50);
            }
        }
    }

    private boolean ready(HttpClient client) throws InterruptedException {
        if (kind == Kind.FPM) return Ports.accepting(port, 500);
        try {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** SIGTERM, as an operator or an orchestrator stops it; returns its exit code once it has drained and exited. */
    int stop() throws Exception {
        process.destroy(); // SIGTERM
        if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(this + " did not exit within " + DEADLINE.toSeconds() + " s of SIGTERM:\n" + tail());
        }
        return process.exitValue();
    }

    /** Ends the process, however it is (the test's cleanup). */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Whether a request that is not a probe has been answered since the latest start: its access
     * line (`{"id":…`; probes write none) is in the log after the start's mark. Only the balancer
     * sends such requests, so it has seen this instance back. Lines are written every 200 ms.
     */
    boolean servedSinceStart() throws IOException {
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i);
            if (l.equals(START_MARK)) return false;
            if (l.startsWith("{\"id\":")) return true;
        }
        return false;
    }

    /** The log's lines that name request `id` (`[id] …`), at most `max`. */
    List<String> linesOf(String id, int max) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("[" + id + "]")).limit(max).toList();
    }

    /** The end of the log: what the last runs said. */
    String tail() {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The stop lines of every run so far (`stopped: …` / `stop: …`). */
    List<String> stopLines() throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("stopped:") || l.contains("stop:")).toList();
    }

    @Override public String toString() { return kind.name().toLowerCase(java.util.Locale.ROOT) + " on port " + port; }
}

package dev.manaknight.cli.soak;

import dev.manaknight.cli.LauncherFlags;
import dev.manaknight.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak run of issue 12: the real `manaknight serve` in a process of its own (heap capped at
 * 256 MB as the launcher caps it), every {@link Attack} in a loop from its own threads, a flood of
 * idle connections past `max_connections`, and a neighbour's ordinary traffic — `GET /hello`
 * timed, `GET /items/1` and `POST /items` — for `duration`. It records every answer, the
 * neighbour's latencies, the server's RSS each second and what it wrote to stderr.
 *
 * <p>`SoakTest` runs it briefly in CI; `main` runs it for as long as asked:
 * {@code java -cp <test classpath> dev.manaknight.cli.soak.SoakRun 1800}.
 */
public final class SoakRun {
    /** Idle connections the flood keeps open: more than the server's max_connections (512). */
    static final int IDLE_CONNECTIONS = 600;
    /** The neighbour's pace: one `GET /hello` this often. */
    static final Duration PROBE_EVERY = Duration.ofMillis(20);

    /** What one run saw. */
    public record Result(Mode mode, Duration duration, Map<Attack, Map<Integer, Long>> answers, Map<Attack, List<String>> unanswered,
                         List<Long> probeMicros, List<String> neighbourFailures, long neighbourRequests, List<Long> rssKb,
                         long stderrBytes, boolean alive, int exitCode, String stderrTail, List<String> neighbourLog) {
        long probeMillis(double quantile) {
            if (probeMicros.isEmpty()) return -1;
            var sorted = new ArrayList<>(probeMicros);
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size()))) / 1000;
        }

        /** RSS, MB: the largest of the first half of the run and of the second half. */
        long[] rssHalvesMb() {
            int h = rssKb.size() / 2;
            long first = rssKb.subList(0, Math.max(1, h)).stream().mapToLong(x -> x).max().orElse(0) / 1024;
            long second = rssKb.subList(h, rssKb.size()).stream().mapToLong(x -> x).max().orElse(0) / 1024;
            return new long[] {first, second};
        }

        /** A readable summary: every attack's answers, the neighbour's latencies, RSS, log bytes. */
        public String report() {
            var b = new StringBuilder("soak: ").append(mode.name().toLowerCase(java.util.Locale.ROOT)).append(", ")
                    .append(duration.toSeconds()).append(" s\n");
            for (Attack a : Attack.values()) {
                if (mode == Mode.FPM && a.onHttp()) continue;
                b.append("  ").append(a).append(": answers ").append(answers.get(a)).append(", unanswered ")
                        .append(unanswered.get(a).size()).append(unanswered.get(a).isEmpty() ? "" : " " + unanswered.get(a).getFirst())
                        .append('\n');
            }
            b.append("  neighbour: ").append(neighbourRequests).append(" requests, ").append(neighbourFailures.size())
                    .append(" failed; GET /hello p50 ").append(probeMillis(0.5)).append(" ms, p99 ").append(probeMillis(0.99))
                    .append(" ms, max ").append(probeMillis(1.0)).append(" ms\n");
            if (!neighbourFailures.isEmpty())
                b.append("  neighbour's failures (first ").append(Math.min(5, neighbourFailures.size())).append("): ")
                        .append(neighbourFailures.subList(0, Math.min(5, neighbourFailures.size()))).append('\n');
            for (String line : neighbourLog) b.append("    log: ").append(line).append('\n');
            long[] halves = rssHalvesMb();
            b.append("  RSS: max ").append(halves[0]).append(" MB in the first half, ").append(halves[1])
                    .append(" MB in the second\n");
            b.append("  stderr: ").append(stderrBytes).append(" bytes (").append(stderrBytes / Math.max(1, duration.toSeconds()))
                    .append(" B/s)\n");
            b.append("  server alive at the end: ").append(alive).append(", exit code after TERM: ").append(exitCode).append('\n');
            return b.toString();
        }
    }

    private SoakRun() {}

    /** The server under attack: `serve` on its own, or `fpm` behind the shipped nginx block. */
    public enum Mode { SERVE, FPM }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 1800;
        Mode mode = args.length > 1 ? Mode.valueOf(args[1].toUpperCase(java.util.Locale.ROOT)) : Mode.SERVE;
        Path dir = Files.createTempDirectory("manaknight-soak");
        System.out.print(run(dir, Duration.ofSeconds(seconds), mode).report());
    }

    public static Result run(Path dir, Duration duration, Mode mode) throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path socket = dir.resolve("fpm.sock");
        Path config = mode == Mode.SERVE ? SoakApp.write(dir, port) : SoakApp.write(dir, "unix:" + socket);
        Path stderr = dir.resolve("server.err");
        Process server = start(config, stderr, mode);
        Process nginx = null;
        try {
            if (mode == Mode.FPM) nginx = SoakNginx.start(dir, port, socket);
            return attack(server, port, stderr, duration, mode);
        } finally {
            if (nginx != null) nginx.destroyForcibly();
            server.destroyForcibly();
        }
    }

    private static Process start(Path config, Path stderr, Mode mode) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // The launcher's JVM flags (the `manaknight` script), so the soak measures what ships.
        var command = new ArrayList<>(List.of(java, LauncherFlags.HEAP));
        command.addAll(LauncherFlags.collector());
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(mode == Mode.SERVE ? List.of("serve", config.getParent().toString())
                : List.of("fpm", "--config", config.toString()));
        var pb = new ProcessBuilder(command).redirectError(stderr.toFile());
        Process p = pb.start();
        var ready = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) if (line.contains("listening on")) ready.countDown();
            } catch (IOException ignored) {
                // the process ended
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ready.await(100, TimeUnit.MILLISECONDS) && p.isAlive() && System.nanoTime() < deadline) {
            // waiting for the ready line
        }
        if (ready.getCount() > 0) {
            p.destroyForcibly();
            throw new IOException("serve did not start:\n" + Files.readString(stderr));
        }
        return p;
    }

    private static Result attack(Process server, int port, Path stderr, Duration duration, Mode mode) throws Exception {
        var stop = new AtomicBoolean();
        var answers = new EnumMap<Attack, Map<Integer, LongAdder>>(Attack.class);
        var unanswered = new EnumMap<Attack, List<String>>(Attack.class);
        for (Attack a : Attack.values()) {
            answers.put(a, new ConcurrentHashMap<>());
            unanswered.put(a, Collections.synchronizedList(new ArrayList<>()));
        }
        var probes = Collections.synchronizedList(new ArrayList<Long>());
        var neighbourFailures = Collections.synchronizedList(new ArrayList<String>());
        var neighbourRequests = new AtomicLong();
        var rss = Collections.synchronizedList(new ArrayList<Long>());
        var threads = new ArrayList<Thread>();
        long seed = 12;
        for (Attack a : Attack.values()) {
            if (mode == Mode.FPM && a.onHttp()) continue; // nginx's to answer, with its own timeouts
            for (int i = 0; i < a.threads; i++) {
                var random = new Random(seed++);
                threads.add(Thread.ofPlatform().name("soak-" + a).start(() -> {
                    while (!stop.get()) {
                        Exchange e = a.shot(port, random);
                        if (e.answered()) answers.get(a).computeIfAbsent(e.status(), k -> new LongAdder()).increment();
                        else unanswered.get(a).add(e.failure());
                    }
                }));
            }
        }
        if (mode == Mode.SERVE) threads.add(Thread.ofPlatform().name("soak-idle").start(() -> idleFlood(port, stop)));
        // The neighbour is another client than the attackers (127.0.0.1): with `serve` it comes from
        // 127.0.0.2 (Linux routes all of 127/8 to loopback); with `fpm` nginx stands between.
        InetAddress neighbour = mode == Mode.SERVE ? InetAddress.getByAddress(new byte[] {127, 0, 0, 2}) : null;
        threads.add(Thread.ofPlatform().name("soak-probe").start(() -> {
            while (!stop.get()) {
                Exchange e = Exchange.get(neighbour, port, "/hello");
                neighbourRequests.incrementAndGet();
                if (e.status() == 200) probes.add(e.micros());
                else neighbourFailures.add("GET /hello: " + (e.answered() ? e.describe() : e.failure()));
                java.util.concurrent.locks.LockSupport.parkNanos(PROBE_EVERY.toNanos());
            }
        }));
        threads.add(Thread.ofPlatform().name("soak-neighbour").start(() -> {
            byte[] item = "{\"name\":\"ink\",\"price\":0.10}".getBytes(StandardCharsets.UTF_8);
            while (!stop.get()) {
                Exchange read = Exchange.get(neighbour, port, "/items/1");
                Exchange write = Exchange.post(neighbour, port, "/items", "application/json", item);
                neighbourRequests.addAndGet(2);
                if (read.status() != 200)
                    neighbourFailures.add("GET /items/1: " + (read.answered() ? read.describe() : read.failure()));
                if (write.status() != 201)
                    neighbourFailures.add("POST /items: " + (write.answered() ? write.describe() : write.failure()));
            }
        }));
        long end = System.nanoTime() + duration.toNanos();
        Path status = Path.of("/proc", String.valueOf(server.pid()), "status");
        while (System.nanoTime() < end && server.isAlive()) {
            rss.add(rssKb(status));
            Thread.sleep(1000);
        }
        stop.set(true);
        for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(30));
        boolean alive = server.isAlive() && Exchange.get(port, "/hello").status() == 200;
        long stderrBytes = Files.size(stderr);
        int exit = -1;
        if (server.isAlive()) {
            new ProcessBuilder("kill", "-TERM", String.valueOf(server.pid())).start().waitFor();
            exit = server.waitFor(30, TimeUnit.SECONDS) ? server.exitValue() : -1;
        }
        String log = Files.readString(stderr);
        var counted = new EnumMap<Attack, Map<Integer, Long>>(Attack.class);
        answers.forEach((a, m) -> {
            var sorted = new TreeMap<Integer, Long>();
            m.forEach((k, v) -> sorted.put(k, v.sum()));
            counted.put(a, sorted);
        });
        return new Result(mode, duration, counted, unanswered, List.copyOf(probes), List.copyOf(neighbourFailures),
                neighbourRequests.get(), List.copyOf(rss), stderrBytes, alive, exit,
                log.substring(Math.max(0, log.length() - 4000)), logOf(neighbourFailures, log));
    }

    /** The server's log lines about the neighbour's failed requests, found by the ids their answers carried. */
    private static List<String> logOf(List<String> failures, String log) {
        var ids = new ArrayList<String>();
        for (String f : failures) {
            int open = f.lastIndexOf(" ["), close = f.lastIndexOf(']');
            if (open >= 0 && close > open && ids.size() < 5) ids.add(f.substring(open + 1, close + 1)); // "[k3x9-a1b2]"
        }
        return log.lines().filter(l -> ids.stream().anyMatch(l::contains)).limit(20).toList();
    }

    /** Keeps {@link #IDLE_CONNECTIONS} connections open and silent, opening a new one for each the server closes. */
    private static void idleFlood(int port, AtomicBoolean stop) {
        var open = new ArrayList<Socket>();
        try {
            while (!stop.get()) {
                open.removeIf(s -> {
                    try {
                        s.setSoTimeout(1);
                        if (s.getInputStream().read() < 0) {
                            s.close();
                            return true;
                        }
                    } catch (java.net.SocketTimeoutException stillOpen) {
                        return false;
                    } catch (IOException e) {
                        return true;
                    }
                    return false;
                });
                while (open.size() < IDLE_CONNECTIONS && !stop.get()) {
                    var s = new Socket();
                    try {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                        open.add(s);
                    } catch (IOException e) {
                        break;
                    }
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    private static long rssKb(Path status) {
        try {
            for (String line : Files.readAllLines(status))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}

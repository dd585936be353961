package dev.manaknight.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 17, item 5: examples/cluster run for real, as shipped. The ledger's instances on a
 * PostgreSQL of the test's own, behind each balancer in turn; a load of transfers and reads
 * through it while each instance in turn gets SIGTERM and is started again, then PostgreSQL is
 * stopped for {@link #OUTAGE} and started. Every transfer carries an Idempotency-Key, and its
 * client sends it again until an answer settles it ({@link LedgerLoad}): a commit the stop cut off
 * is answered `500 commit-outcome-unknown`, and only the key resolves it. The test fails on any 5xx
 * or connection error outside the outage window (any attempt), on a write never settled, on any
 * transfer answered 201 but absent or present but not answered 201, on any transfer applied twice,
 * and if the balances do not add up ({@link LedgerAudit}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {
    static final int ACCOUNTS = 100;
    static final int CLIENTS = 8;
    /** How long PostgreSQL stays down: the scenario, not a wait. */
    static final Duration OUTAGE = Duration.ofSeconds(10);
    /**
     * Once PostgreSQL accepts again, the instances must answer within this: the window in which
     * failures are allowed ends this long after the start. The instances reconnect on their own.
     */
    static final Duration RECOVERY = Duration.ofSeconds(10);
    /**
     * After a restarted instance is ready, before the next one stops, the balancer must send to it
     * again (HAProxy marks it up after `rise 2` checks `inter 1s` apart; nginx tries it again
     * `fail_timeout=2s` after its last failed connect): the instance's access log shows a request
     * of the load answered since its start, within this.
     */
    static final Duration SEEN_DEADLINE = Duration.ofSeconds(30);
    /** Transfers answered after each step, so that the next step meets a cluster under load. */
    static final int WRITES_BETWEEN_STEPS = 20;
    static final Duration STEP_DEADLINE = Duration.ofSeconds(60);

    /** A balancer and the instances behind it, as examples/cluster ships them. */
    enum Mode {
        HAPROXY(Instance.Kind.SERVE, 3, Balancer.HAPROXY),
        NGINX_SERVE(Instance.Kind.SERVE, 3, Balancer.NGINX),
        NGINX_FPM(Instance.Kind.FPM, 2, Balancer.NGINX);

        final Instance.Kind kind;
        final int instances;
        final String binary;

        Mode(Instance.Kind kind, int instances, String binary) {
            this.kind = kind;
            this.instances = instances;
            this.binary = binary;
        }
    }

    /**
     * MANAKNIGHT_TEST_CLUSTER: `required` (CI) fails the test when what it needs is missing;
     * unset, it runs where haproxy, nginx and PostgreSQL's server binaries are installed and is
     * skipped elsewhere; `off` skips it.
     */
    static final String SETTING = System.getenv().getOrDefault("MANAKNIGHT_TEST_CLUSTER", "");
    static final boolean REQUIRED = "required".equals(SETTING);

    /** The test's own PostgreSQL, one for the three modes (a database each). */
    private PgCluster pg;

    @BeforeAll void database() throws Exception {
        assumeTrue(!"off".equals(SETTING), "MANAKNIGHT_TEST_CLUSTER=off");
        String why = PgCluster.unavailable();
        need(why == null, why);
        pg = PgCluster.create();
    }

    private static void need(boolean present, String why) {
        if (REQUIRED) assertTrue(present, why + " (MANAKNIGHT_TEST_CLUSTER=required)");
        else assumeTrue(present, why);
    }

    @AfterAll void closeDatabase() throws Exception {
        if (pg != null) pg.close();
    }

    @ParameterizedTest @EnumSource(Mode.class) @Timeout(300)
    void rollingRestartsAndADatabaseOutageLoseNothing(Mode mode, @TempDir Path dir) throws Exception {
        need(Files.isExecutable(Path.of(mode.binary)), mode.binary + " is not installed (.ci/run installs haproxy and nginx)");
        String name = mode.name().toLowerCase(Locale.ROOT);
        pg.createDatabase("ledger_" + name);
        String url = pg.url("ledger_" + name);
        var instances = new ArrayList<Instance>();
        for (int i = 0; i < mode.instances; i++) {
            int port = Ports.free();
            Path config = mode.kind == Instance.Kind.SERVE ? ClusterFiles.instanceConfig(dir, "cluster.toml", url, null)
                    : ClusterFiles.instanceConfig(dir, "fpm.toml", url, "127.0.0.1:" + port);
            instances.add(new Instance(mode.kind, port, config, dir.resolve("instance-" + (i + 1) + ".log")));
        }
        var timeline = new Timeline();
        Balancer balancer = null;
        LedgerLoad load = null;
        List<LedgerLoad.Exchange> exchanges;
        var exits = new ArrayList<Integer>();
        long outageStart;
        long outageEnd;
        try {
            startTogether(instances); // on an empty database: its migrations run once, under a lock
            timeline.mark("instances ready");
            int port = Ports.free();
            List<Integer> ports = instances.stream().map(i -> i.port).toList();
            balancer = switch (mode) {
                case HAPROXY -> Balancer.haproxy(dir, ClusterFiles.DIR.resolve("haproxy.cfg"), port, ports);
                case NGINX_SERVE -> Balancer.nginx(dir, ClusterFiles.DIR.resolve("nginx-serve.conf"), port, 8081, ports);
                case NGINX_FPM -> Balancer.nginx(dir, ClusterFiles.DIR.resolve("nginx-fpm.conf"), port, 9001, ports);
            };
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitOk(base.resolve("/accounts/1"));
            load = LedgerLoad.open(base, Long.toHexString(System.nanoTime()) + "-" + name, ACCOUNTS);
            load.start(CLIENTS);
            awaitWrites(load, System.nanoTime(), "the load to flow");
            timeline.mark("load flowing");

            for (Instance instance : instances) {
                exits.add(instance.stop());
                timeline.mark(instance + " stopped");
                instance.start();
                timeline.mark(instance + " ready again");
                long ready = System.nanoTime();
                await(() -> servedSinceStart(instance), SEEN_DEADLINE, "the balancer to send to " + instance + " again");
                timeline.mark(instance + " seen by the balancer");
                awaitWrites(load, ready, "transfers after " + instance + " came back");
            }

            outageStart = System.nanoTime();
            pg.stop();
            timeline.mark("PostgreSQL stopped");
            Thread.sleep(OUTAGE.toMillis());
            pg.start();
            timeline.mark("PostgreSQL started");
            outageEnd = System.nanoTime() + RECOVERY.toNanos();
            // The load runs on through the recovery window (failures in it are allowed) and past it.
            Thread.sleep(RECOVERY.toMillis());
            awaitWrites(load, outageEnd, "transfers after the recovery window");
            exchanges = load.stop();
            timeline.mark("load stopped");
        } catch (Throwable t) {
            if (load != null) load.stop();
            throw new AssertionError(t + "\n" + logs(instances, balancer), t);
        } finally {
            if (balancer != null) balancer.close();
            for (Instance i : instances) i.kill();
        }

        var failures = new ArrayList<LedgerLoad.Exchange>();
        var inOutage = new ArrayList<LedgerLoad.Exchange>();
        for (LedgerLoad.Exchange e : exchanges) {
            if (!e.failed()) continue;
            if (e.endNanos() - outageStart >= 0 && outageEnd - e.startNanos() >= 0) inOutage.add(e);
            else failures.add(e);
        }
        LedgerAudit audit;
        try (var db = pg.connect("ledger_" + name)) {
            audit = LedgerAudit.of(db, load, exchanges);
        }
        String report = report(mode, timeline, exchanges, inOutage, outageStart, audit, instances);
        System.out.print(report);
        assertTrue(failures.isEmpty(), failures.size() + " failure(s) outside the outage window, first: "
                + failures.stream().limit(5).map(e -> timeline.at(e.endNanos()) + " " + e).toList() + "\n" + report
                + logs(instances, balancer));
        assertTrue(audit.problems().isEmpty(), String.join("\n", audit.problems()) + "\n" + report);
        assertEquals(List.of(0, 0, 0).subList(0, mode.instances), exits, "each instance exits 0 after SIGTERM:\n" + report);
    }

    private static boolean servedSinceStart(Instance instance) {
        try {
            return instance.servedSinceStart();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void startTogether(List<Instance> instances) throws Exception {
        try (var ex = Executors.newVirtualThreadPerTaskExecutor()) {
            var started = new ArrayList<Future<Void>>();
            for (Instance i : instances) started.add(ex.submit(() -> {
                i.start();
                return null;
            }));
            for (Future<Void> f : started) f.get();
        }
    }

    private static void awaitOk(URI uri) throws Exception {
        try (var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
            await(() -> {
                try {
                    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (java.io.IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, STEP_DEADLINE, "the balancer to answer " + uri);
        }
    }

    private static void awaitWrites(LedgerLoad load, long since, String what) throws InterruptedException {
        await(() -> load.writesAnsweredAfter(since) >= WRITES_BETWEEN_STEPS, STEP_DEADLINE, what);
    }

    private static void await(BooleanSupplier condition, Duration deadline, String what) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) throw new AssertionError("waited " + deadline.toSeconds() + " s for " + what);
            Thread.sleep(20);
        }
    }

    private static String report(Mode mode, Timeline timeline, List<LedgerLoad.Exchange> exchanges,
                                 List<LedgerLoad.Exchange> inOutage, long outageStart, LedgerAudit audit,
                                 List<Instance> instances) throws java.io.IOException {
        var b = new StringBuilder("cluster: ").append(mode.name().toLowerCase(Locale.ROOT)).append('\n');
        b.append("  timeline: ").append(timeline).append('\n');
        b.append("  answers: ").append(LedgerLoad.counts(exchanges)).append('\n');
        b.append("  failures in the outage window: ").append(inOutage.size());
        if (!inOutage.isEmpty()) {
            var ends = inOutage.stream().mapToLong(LedgerLoad.Exchange::endNanos).summaryStatistics();
            b.append(", from ").append(timeline.at(ends.getMin())).append(" to ").append(timeline.at(ends.getMax()))
                    .append(" (PostgreSQL stopped at ").append(timeline.at(outageStart)).append("); first: ")
                    .append(inOutage.getFirst());
        }
        b.append('\n');
        b.append("  in the outage window: ").append(LedgerLoad.counts(inOutage)).append('\n');
        // A 500 but commit-outcome-unknown is a failure of its own: what the server said of it.
        for (LedgerLoad.Exchange e : inOutage) {
            if (e.status() != 500 || e.detail().contains("commit-outcome-unknown")) continue;
            b.append("    ").append(timeline.at(e.endNanos())).append(' ').append(e).append('\n');
            for (Instance i : instances) if (!e.requestId().isEmpty()) for (String l : i.linesOf(e.requestId(), 5))
                b.append("      ").append(i).append(": ").append(l).append('\n');
        }
        b.append("  transfers stored: ").append(audit.present()).append(", problems: ").append(audit.problems().size())
                .append('\n');
        for (Instance i : instances) b.append("  ").append(i).append(": ").append(i.stopLines()).append('\n');
        return b.toString();
    }

    private static String logs(List<Instance> instances, Balancer balancer) {
        var b = new StringBuilder();
        for (Instance i : instances) b.append("---- ").append(i).append(" (log tail)\n").append(i.tail()).append('\n');
        if (balancer != null) b.append("---- balancer (log tail)\n").append(balancer.tail()).append('\n');
        return b.toString();
    }
}

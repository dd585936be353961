package dev.manaknight.http;

import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.Admission;
import dev.manaknight.runtime.BodyBudget;
import dev.manaknight.runtime.ConnectionCount;
import dev.manaknight.runtime.InFlight;
import dev.manaknight.runtime.RequestObserver;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * `serve`'s metrics (`server.metrics_path`, OpenMetrics text): what `fpm`'s status page shows —
 * workers busy, requests waiting, rejections, slow requests, VM failures by kind, recent fuel and
 * memory — and per route: requests by status and a histogram of durations; connections and the
 * body budget beside them. Fed as every deployment's {@link RequestObserver}; written in the
 * Prometheus client's metric model by its OpenMetrics writer at each scrape. Thread-safe.
 */
public final class ServeMetrics implements RequestObserver {
    /** Duration buckets, seconds: a millisecond to the default 10 s timeout. */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY};
    /** Fuel and memory percentiles are over the last this-many requests. */
    static final int SAMPLES = 1024;
    private static final OpenMetricsTextFormatWriter WRITER = OpenMetricsTextFormatWriter.create();
    static final String CONTENT_TYPE = OpenMetricsTextFormatWriter.CONTENT_TYPE;

    /** One route's numbers. */
    private static final class RouteStats {
        final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        final LongAdder micros = new LongAdder();

        RouteStats() {
            for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
        }
    }

    private final Map<String, RouteStats> routes = new ConcurrentHashMap<>();
    private final Map<VmError.Kind, LongAdder> failures = new EnumMap<>(VmError.Kind.class);
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder slow = new LongAdder();
    private final long[] fuel = new long[SAMPLES];
    private final long[] memory = new long[SAMPLES];
    private long sampled;

    public ServeMetrics() {
        for (VmError.Kind k : VmError.Kind.values()) failures.put(k, new LongAdder());
    }

    @Override public void rejected(InFlight r) { rejected.increment(); }

    @Override public void started(InFlight r) { active.incrementAndGet(); }

    @Override public void finished(InFlight r) {
        active.decrementAndGet();
        if (r.failure() != null) failures.get(r.failure().kind()).increment();
        synchronized (this) {
            int i = (int) (sampled++ % SAMPLES);
            fuel[i] = r.fuel();
            memory[i] = r.memory();
        }
    }

    @Override public void slow(InFlight r) { slow.increment(); }

    @Override public void completed(InFlight r, int status, long micros) {
        RouteStats s = routes.computeIfAbsent(r.route() == null ? "none" : r.route(), k -> new RouteStats());
        s.byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
        s.micros.add(micros);
        double seconds = micros / 1e6;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                s.buckets[i].increment();
                break;
            }
        }
    }

    /** The metrics now, as OpenMetrics text. */
    byte[] render(Admission admission, int workers, int queue, ConnectionCount connections, BodyBudget bodies) {
        return render(admission, workers, queue, connections, bodies, null);
    }

    /** @param journal the serving deployment's request journal, or null when it has none */
    byte[] render(Admission admission, int workers, int queue, ConnectionCount connections, BodyBudget bodies,
                  dev.manaknight.runtime.journal.Journal journal) {
        var m = MetricSnapshots.builder();
        var requests = CounterSnapshot.builder().name("manaknight_requests").help("Requests answered, by route and status.");
        var durations = HistogramSnapshot.builder().name("manaknight_request_duration_seconds")
                .help("Time from a request's arrival to its answer, by route.");
        routes.forEach((route, s) -> {
            s.byStatus.forEach((status, n) -> requests.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(Labels.of("route", route, "status", String.valueOf(status))).value(n.sum()).build()));
            long[] counts = new long[BUCKETS.length];
            for (int i = 0; i < counts.length; i++) counts[i] = s.buckets[i].sum();
            durations.dataPoint(HistogramDataPointSnapshot.builder().labels(Labels.of("route", route))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(BUCKETS, counts)).sum(s.micros.sum() / 1e6).build());
        });
        m.metricSnapshot(requests.build());
        m.metricSnapshot(durations.build());
        int busy = active.get();
        m.metricSnapshot(gauge("manaknight_workers", "Requests that may run at once (server.workers).", workers));
        m.metricSnapshot(gauge("manaknight_workers_busy", "Workers running a request now.", busy));
        m.metricSnapshot(gauge("manaknight_queue_length", "Requests allowed to wait for a worker (server.queue).", queue));
        m.metricSnapshot(gauge("manaknight_queue", "Requests waiting for a worker now.",
                Math.max(0, admission.inFlight() - busy)));
        m.metricSnapshot(counter("manaknight_overloaded", "Requests refused with 503 because workers and queue were full.",
                rejected.sum()));
        m.metricSnapshot(counter("manaknight_slow_requests", "Requests over log.slowlog_timeout.", slow.sum()));
        var fails = CounterSnapshot.builder().name("manaknight_vm_failures").help("VM failures by kind.");
        failures.forEach((kind, n) -> fails.dataPoint(CounterDataPointSnapshot.builder()
                .labels(Labels.of("kind", kind.slug)).value(n.sum()).build()));
        m.metricSnapshot(fails.build());
        long[][] p = percentiles();
        m.metricSnapshot(summary("manaknight_vm_fuel", "VM fuel used per request (recent requests).", p[0]));
        m.metricSnapshot(summary("manaknight_vm_memory_bytes", "Peak VM memory per request (recent requests).", p[1]));
        m.metricSnapshot(gauge("manaknight_connections_open", "HTTP connections open now.", connections.open()));
        m.metricSnapshot(counter("manaknight_connections", "HTTP connections accepted.", connections.accepted()));
        m.metricSnapshot(counter("manaknight_connections_refused", "Connections answered 503 past server.max_connections.",
                connections.refused()));
        m.metricSnapshot(counter("manaknight_connections_shed", "Idle connections closed to make room for new ones.",
                connections.shed()));
        m.metricSnapshot(counter("manaknight_connections_idle_closed", "Connections closed by server.idle_timeout.",
                connections.idleClosed()));
        m.metricSnapshot(gauge("manaknight_body_budget_bytes", "Bytes of request bodies the server may hold at once.",
                bodies.limit()));
        m.metricSnapshot(gauge("manaknight_body_budget_held_bytes", "Bytes of request bodies held now.", bodies.held()));
        if (journal != null) { // since the deployment started (a new one starts a new journal instance)
            m.metricSnapshot(counter("manaknight_journal_records", "Request records written to the journal.", journal.written()));
            m.metricSnapshot(counter("manaknight_journal_dropped", "Request records dropped (queue full, a failed write).",
                    journal.dropped()));
            m.metricSnapshot(counter("manaknight_journal_bytes", "Bytes written to the journal's segments.", journal.bytes()));
        }
        var out = new ByteArrayOutputStream(8192);
        try {
            WRITER.write(out, m.build(), EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** p50, p90, p99 and the maximum of the recent fuel ([0]) and memory ([1]) samples. */
    private synchronized long[][] percentiles() {
        int n = (int) Math.min(sampled, SAMPLES);
        long[][] out = new long[2][4];
        if (n == 0) return out;
        for (int k = 0; k < 2; k++) {
            long[] v = Arrays.copyOf(k == 0 ? fuel : memory, n);
            Arrays.sort(v);
            out[k] = new long[] {v[(n - 1) * 50 / 100], v[(n - 1) * 90 / 100], v[(n - 1) * 99 / 100], v[n - 1]};
        }
        return out;
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static SummarySnapshot summary(String name, String help, long[] values) {
        double[] qs = {0.5, 0.9, 0.99, 1.0};
        var q = Quantiles.builder();
        for (int i = 0; i < qs.length; i++) q.quantile(new Quantile(qs[i], values[i]));
        return SummarySnapshot.builder().name(name).help(help)
                .dataPoint(SummaryDataPointSnapshot.builder().quantiles(q.build()).build()).build();
    }
}

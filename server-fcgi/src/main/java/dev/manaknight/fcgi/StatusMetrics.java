package dev.manaknight.fcgi;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The status page's `?openmetrics`: the pool's numbers as a snapshot in the Prometheus client's
 * metric model, written by its OpenMetrics text writer (names, `_total`, label escaping and
 * `# EOF` are the library's). No registry: the numbers live in {@link FpmStatus} and are read
 * at each scrape.
 */
final class StatusMetrics {
    private StatusMetrics() {}

    static final String CONTENT_TYPE = OpenMetricsTextFormatWriter.CONTENT_TYPE;
    private static final OpenMetricsTextFormatWriter WRITER = OpenMetricsTextFormatWriter.create();
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 1.0};

    static byte[] render(FpmStatus s) { return render(s, null); }

    /** @param journal the serving deployment's request journal, or null (its counters are then left out) */
    static byte[] render(FpmStatus s, dev.manaknight.runtime.journal.Journal journal) {
        Labels pool = Labels.of("pool", s.pool);
        var m = MetricSnapshots.builder();
        m.metricSnapshot(gauge("manaknight_fpm_start_since_seconds", "Seconds since the pool started.", pool,
                (System.nanoTime() - s.startNanos) / 1_000_000_000L));
        m.metricSnapshot(counter("manaknight_fpm_accepted_connections", "Requests accepted by the pool.", pool,
                s.accepted.sum()));
        m.metricSnapshot(gauge("manaknight_fpm_listen_queue", "Requests waiting for a worker.", pool, s.waiting.get()));
        m.metricSnapshot(gauge("manaknight_fpm_max_listen_queue", "Most requests ever waiting at once.", pool,
                s.maxWaiting.get()));
        m.metricSnapshot(gauge("manaknight_fpm_listen_queue_length", "Requests allowed to wait (queue).", pool, s.queueLen));
        m.metricSnapshot(gauge("manaknight_fpm_idle_processes", "Idle workers.", pool, Math.max(0, s.workers - s.active.get())));
        m.metricSnapshot(gauge("manaknight_fpm_active_processes", "Workers running a request.", pool, s.active.get()));
        m.metricSnapshot(gauge("manaknight_fpm_total_processes", "Workers (requests executing at once).", pool, s.workers));
        m.metricSnapshot(gauge("manaknight_fpm_max_active_processes", "Most workers ever busy at once.", pool,
                s.maxActive.get()));
        m.metricSnapshot(counter("manaknight_fpm_max_children_reached", "Times every worker was busy.", pool,
                s.maxChildrenReached.sum()));
        m.metricSnapshot(counter("manaknight_fpm_slow_requests", "Requests over slowlog_timeout.", pool, s.slowRequests.sum()));
        m.metricSnapshot(counter("manaknight_fpm_overloaded", "Requests refused with 503 / FCGI_OVERLOADED.", pool,
                s.overloaded.sum()));
        m.metricSnapshot(gauge("manaknight_fpm_connections_open", "FastCGI connections open, idle kept ones included.", pool,
                s.connections.open()));
        m.metricSnapshot(counter("manaknight_fpm_connections",
                "FastCGI connections accepted (with keep-conn on, far fewer than requests).", pool, s.connections.accepted()));
        m.metricSnapshot(counter("manaknight_fpm_connections_refused",
                "FastCGI connections closed at once because server.max_connections were open.", pool,
                s.connections.refused()));
        var failures = CounterSnapshot.builder().name("manaknight_fpm_vm_failures").help("VM failures by kind.");
        s.failures().forEach((kind, n) -> failures.dataPoint(CounterDataPointSnapshot.builder()
                .labels(pool.add("kind", kind.slug)).value(n).build()));
        m.metricSnapshot(failures.build());
        m.metricSnapshot(summary("manaknight_fpm_vm_fuel", "VM fuel used per request (recent requests).", pool,
                s.percentiles(true)));
        m.metricSnapshot(summary("manaknight_fpm_vm_memory_bytes", "Peak VM memory per request (recent requests).", pool,
                s.percentiles(false)));
        if (journal != null) { // since the serving deployment started (a reload starts a new journal instance)
            m.metricSnapshot(counter("manaknight_fpm_journal_records", "Request records written to the journal.", pool,
                    journal.written()));
            m.metricSnapshot(counter("manaknight_fpm_journal_dropped", "Request records dropped (queue full, a failed write).",
                    pool, journal.dropped()));
            m.metricSnapshot(counter("manaknight_fpm_journal_bytes", "Bytes written to the journal's segments.", pool,
                    journal.bytes()));
        }
        var out = new ByteArrayOutputStream(4096);
        try {
            WRITER.write(out, m.build(), EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private static GaugeSnapshot gauge(String name, String help, Labels labels, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build()).build();
    }

    private static CounterSnapshot counter(String name, String help, Labels labels, double value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build()).build();
    }

    /** p50, p90, p99 and the maximum of the recent requests (no count or sum: the window is a sample). */
    private static SummarySnapshot summary(String name, String help, Labels labels, long[] values) {
        var q = Quantiles.builder();
        for (int i = 0; i < QUANTILES.length; i++) q.quantile(new Quantile(QUANTILES[i], values[i]));
        return SummarySnapshot.builder().name(name).help(help)
                .dataPoint(SummaryDataPointSnapshot.builder().labels(labels).quantiles(q.build()).build()).build();
    }
}

package dev.manaknight.http;

import dev.manaknight.runtime.BodyBudget;
import dev.manaknight.runtime.ConnectionCount;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.DeploymentSlot;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.config.Config;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a load balancer or a monitor asks `serve` (`server.health_path`, `ready_path`,
 * `metrics_path`), answered on the I/O thread that read the request: no worker, no VM, no
 * database, no access-log line, so a probe is answered even when every worker is busy.
 * Readiness is false once a stop has begun, so the balancer stops sending before the listener
 * closes (`server.drain_delay`).
 */
final class ProbeAnswers {
    private static final List<Header> TEXT = List.of(new Header("Content-Type", "text/plain; charset=utf-8"),
            new Header("Cache-Control", "no-store"));

    private final Config.Probes paths;
    private final ServeMetrics metrics;
    private final DeploymentSlot app;
    private final ConnectionCount connections;
    private final BodyBudget bodies;
    private volatile boolean draining;

    ProbeAnswers(DeploymentSlot app, ServeMetrics metrics, ConnectionCount connections, BodyBudget bodies) {
        this.app = app;
        this.paths = app.current().config().server().probes();
        this.metrics = metrics;
        this.connections = connections;
        this.bodies = bodies;
    }

    /** From now on readiness answers 503. */
    void drain() { draining = true; }

    boolean ready() { return !draining; }

    /** The answer to a probe, or null when `path` is not one (the request goes to the app). GET and HEAD only. */
    Reply answer(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) return null;
        Reply r;
        if (path.equals(paths.health())) r = text(200, "ok\n");
        else if (path.equals(paths.ready())) r = draining ? text(503, "draining\n") : text(200, "ready\n");
        else if (path.equals(paths.metrics())) {
            Deployment now = app.current();
            var s = now.config().server();
            r = new Reply(200, List.of(new Header("Content-Type", ServeMetrics.CONTENT_TYPE), new Header("Cache-Control", "no-store")),
                    metrics.render(now.admission(), s.workers(), s.queue(), connections, bodies,
                            now.journal()));
        } else return null;
        if (!method.equals("HEAD")) return r;
        return new Reply(r.status(), List.of(r.headers().getFirst(), new Header("Content-Length", String.valueOf(r.body().length))),
                new byte[0]);
    }

    private static Reply text(int status, String body) {
        return new Reply(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    /** App routes on a probe's path: the probe would hide them. */
    static List<String> collisions(Deployment app) {
        var probes = app.config().server().probes().paths();
        return app.module().routes().stream().filter(r -> probes.contains(r.path()))
                .map(r -> r.method() + " " + r.path()).toList();
    }
}

package dev.manaknight.http;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.runtime.AccessEntry;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.HandlerExecutor;
import dev.manaknight.runtime.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * A deployment of a small hand-built module whose handlers are Java lambdas (no compiler, no VM):
 * `GET /hello`, `GET /items/:id` (Int), `GET /names/:name` (String, echoed), `POST /json` (a
 * `Json` body, echoed) and `GET /big` (a 4 KiB text). It counts the handlers run and keeps the
 * access log, for the strict-HTTP tests over EmbeddedChannel and over real sockets.
 */
final class FakeApp implements AutoCloseable {
    static final int BIG = 4096;

    final Deployment deployment;
    final List<AccessEntry> log = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong runs = new AtomicLong();
    /** Every handler waits for this before it answers (closed by a test that wants answers held back). */
    volatile CountDownLatch gate = new CountDownLatch(0);

    private FakeApp(int workers, int queue) throws Exception {
        List<BiFunction<Host, Object[], Outcome>> handlers = List.of(
                (h, a) -> respond(new Response.Body.Text("hello")),
                (h, a) -> respond(new Response.Body.Json(Type.INT, a[0])),
                (h, a) -> respond(new Response.Body.Text((String) a[0])),
                (h, a) -> respond(new Response.Body.Json(Type.JSON, a[0])),
                (h, a) -> respond(new Response.Body.Text("b".repeat(BIG))));
        var cfg = config(workers, queue, 64 * 1024, 1024, Duration.ofSeconds(60), 0);
        List<BiFunction<Host, Object[], Outcome>> gated = handlers.stream()
                .<BiFunction<Host, Object[], Outcome>>map(f -> (h, a) -> {
                    try {
                        if (!gate.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the gate stayed closed");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return f.apply(h, a);
                }).toList();
        deployment = Deployment.open(Program.trusted(module()), cfg, Deployment.Setup.server().withExecutor(executor(gated, runs))
                .withAccessLog(log::add));
    }

    static FakeApp open(int workers, int queue) throws Exception { return new FakeApp(workers, queue); }

    /** An executor that runs handler `f` as `handlers.get(f)`, counting the runs. */
    static HandlerExecutor executor(List<BiFunction<Host, Object[], Outcome>> handlers, AtomicLong runs) {
        return (host, granted) -> new HandlerExecutor.Run() {
            @Override public Outcome invoke(int f, Object... args) {
                runs.incrementAndGet();
                return handlers.get(f).apply(host, args);
            }

            @Override public void cancel() {}

            @Override public long fuelUsed() { return 0; }

            @Override public long memoryUsed() { return 0; }
        };
    }

    /**
     * `serve` on a free loopback port with these limits (`bodyBudget` 0: automatic); a 5 s timeout,
     * an in-memory SQLite, logs off.
     */
    static Config config(int workers, int queue, long bodyLimit, int maxConnections, Duration idleTimeout, long bodyBudget) {
        var d = Config.Server.DEFAULTS;
        var l = Config.Limits.DEFAULTS;
        return new Config(null, null, new Config.Server("127.0.0.1:0", workers, queue, 0, d.socketMode(), Duration.ofSeconds(5),
                d.statusPath(), d.pingPath(), false, 2, "auto", maxConnections, idleTimeout, null, bodyBudget, Config.Probes.DEFAULTS),
                new Config.Limits(l.memory(), l.cpu(), l.fuel(), Duration.ofSeconds(5), bodyLimit),
                new Config.Db("sqlite::memory:", 1, null), new Config.Log("off", null, Duration.ZERO, false));
    }

    private static Module module() {
        var routes = List.of(
                new Route(HttpMethod.GET, "/hello", 0, List.of(), 0, List.of(), "a.mnk", 1),
                new Route(HttpMethod.GET, "/items/:id", 1,
                        List.of(new Route.Input(Route.Source.PATH, "id", "id", Type.INT, null)), 0, List.of(), "a.mnk", 2),
                new Route(HttpMethod.GET, "/names/:name", 2,
                        List.of(new Route.Input(Route.Source.PATH, "name", "name", Type.STRING, null)), 0, List.of(), "a.mnk", 3),
                new Route(HttpMethod.POST, "/json", 3, List.of(new Route.Input(Route.Source.BODY, "j", "j", Type.JSON, null)),
                        0, List.of(), "a.mnk", 4),
                new Route(HttpMethod.GET, "/big", 4, List.of(), 0, List.of(), "a.mnk", 5));
        return new Module(List.of(), List.of(), List.of(), List.of(), List.of(), routes, List.of());
    }

    private static Outcome respond(Response.Body body) {
        return new Outcome.Responded(new Response(200, body, List.of()));
    }

    @Override public void close() { deployment.close(); }
}

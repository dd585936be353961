package dev.manaknight.runtime.testing;

import dev.manaknight.lang.bytecode.TestCase;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.HandlerExecutor;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.VmExecutor;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.EffectSources;
import dev.manaknight.runtime.config.ConfigException;
import dev.manaknight.runtime.effects.QueryCatalog;
import dev.manaknight.runtime.effects.RequestHost;
import dev.manaknight.runtime.effects.ResultMapper;
import dev.manaknight.runtime.effects.Schema;
import dev.manaknight.runtime.effects.SingleConnectionDatabase;
import dev.manaknight.runtime.effects.StubOutbound;
import dev.manaknight.runtime.effects.Transaction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * `manaknight test`: each `test` block in a fresh VM against a fresh in-memory SQLite database
 * with the app's schema (or its migrations: `db.migrations`, SQLite's set when there is one per
 * database); `request` inside a test goes through a {@link Deployment} of the app,
 * as a server's requests do, in-process. Each test's clock is stopped and its random seeded
 * ({@link EffectSources#fixed}), for it and the requests it sends alike.
 */
public final class TestRunner {
    /** A test's requests may take this long (the app's own `limits.timeout` is for production). */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Program program;
    private final Config config;
    private final HandlerExecutor executor;
    private final String schema;

    /**
     * @param config   the app's configuration; tests keep its limits but get a generous timeout,
     *                 development-mode problem details and no logs
     * @param schema   the schema script, or null (then the config's migrations apply, if any)
     * @param executor runs the test functions and the handlers (real VMs, or a test's fake); null: real VMs
     * @throws ConfigException when the app's config keys have no values in the config's `[app]` table
     *                         (or their defaults); the environment is not read, so a run is the same anywhere
     */
    public TestRunner(Program program, Config config, String schema, HandlerExecutor executor) throws ConfigException {
        this.program = config.settings().withoutEnvironment().bind(program);
        var l = config.limits();
        this.config = new Config(config.source(), config.app(), config.server(),
                new Config.Limits(l.memory(), l.cpu(), l.fuel(), TIMEOUT, l.body()), config.db(),
                new Config.Log("off", null, Duration.ZERO, true), config.http(), Config.Journal.OFF,
                config.settings().withoutEnvironment());
        this.executor = executor != null ? executor : new VmExecutor(this.program, config.limits().vm());
        this.schema = schema;
    }

    public TestRunner(Program program, Config config, String schema) throws ConfigException {
        this(program, config, schema, null);
    }

    /** Runs every test, printing `ok name` / `FAIL name` (+ failures) and `N passed, N failed`. */
    public List<TestOutcome> run(PrintStream out) {
        var results = new ArrayList<TestOutcome>();
        for (TestCase t : program.module().tests()) {
            TestOutcome o = runOne(t);
            results.add(o);
            out.println((o.passed() ? "ok " : "FAIL ") + o.name());
            for (String f : o.failures()) out.println("  " + f);
        }
        long passed = results.stream().filter(TestOutcome::passed).count();
        out.println(passed + " passed, " + (results.size() - passed) + " failed");
        return results;
    }

    TestOutcome runOne(TestCase t) {
        var log = new CapturedLog();
        var sources = EffectSources.fixed(new StubOutbound()); // one per test: its answers do not depend on the other tests
        try (var db = SingleConnectionDatabase.inMemorySqlite()) {
            if (schema != null) Schema.applyIfEmpty(db, schema);
            else if (config.db().migrations() != null) Schema.migrateQuietly(db, config.db().migrations());
            var setup = Deployment.Setup.test(db).withExecutor(executor).withLog(log).withSources(sources);
            try (var app = Deployment.open(program, config, setup)) {
                var tx = new Transaction(db);
                var host = new TestHost(app, tx, t.capabilities(), log, sources);
                HandlerExecutor.Run vm = executor.start(host, t.capabilities());
                Outcome outcome = vm.invoke(t.function());
                var failures = new ArrayList<>(vm.expectationFailures());
                if (outcome instanceof Outcome.Failed f) failures.add(f.error().render());
                try {
                    tx.commit();
                } catch (SQLException e) {
                    failures.add("commit failed: " + e.getMessage());
                }
                // The server log is noise when a test passes and a clue when it fails.
                if (!failures.isEmpty() && !log.lines().isEmpty()) {
                    failures.add("server log:");
                    for (String line : log.lines()) failures.add("  " + line.replace("\n", "\n    "));
                }
                return new TestOutcome(t.name(), failures.isEmpty(), failures);
            }
        } catch (SQLException | IOException e) {
            return new TestOutcome(t.name(), false, List.of("the schema failed: " + e.getMessage()));
        }
    }

    /** The test's own effects, plus `request`, which commits the test's writes first so the request sees them. */
    private final class TestHost extends RequestHost {
        private final Deployment app;

        TestHost(Deployment app, Transaction tx, int granted, org.slf4j.Logger log, EffectSources sources) {
            super("test", granted, tx, new QueryCatalog(program.module().effects()), new ResultMapper(app.core().types()),
                    log, sources.clock(), sources.random(), sources.outbound(), Long.MAX_VALUE);
            this.app = app;
        }

        @Override public Response request(HttpMethod method, String path, Values.MapValue headers, Object body, int bodyTypeRef)
                throws EffectFailure {
            try {
                transaction().commit();
            } catch (SQLException e) {
                throw new EffectFailure("db", "commit before request failed: " + e.getMessage(), e);
            }
            var sent = new ArrayList<Header>();
            byte[] bytes = new byte[0];
            if (body instanceof String text) {
                bytes = text.getBytes(StandardCharsets.UTF_8);
                sent.add(new Header("Content-Type", "text/plain; charset=utf-8"));
            } else if (body != Values.Unit.UNIT) {
                Type t = program.module().typeRefs().get(bodyTypeRef);
                bytes = app.core().encoder().encode(t, body);
                sent.add(new Header("Content-Type", "application/json"));
            }
            // The test's headers come after the body's: a Content-Type among them replaces the body's own.
            for (int i = 0; i < headers.size(); i++) {
                String name = headers.keys()[i];
                sent.removeIf(h -> h.name().equalsIgnoreCase(name));
                sent.add(new Header(name, (String) headers.values()[i]));
            }
            Reply reply = app.handle(Request.of(method.name(), path, sent, bytes, "test"));
            return toResponse(reply);
        }
    }

    /**
     * A reply as the test sees it: the body as its wire text (`r.body` is a String, so a test
     * checks JSON with `contains`), none when empty.
     */
    static Response toResponse(Reply reply) {
        var headers = reply.headers().stream().map(h -> new Response.Header(h.name(), h.value())).toList();
        Response.Body body = reply.body().length == 0 ? new Response.Body.None() : new Response.Body.Text(reply.text());
        return new Response(reply.status(), body, headers);
    }
}

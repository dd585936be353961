package dev.manaknight.bench;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.lang.vm.Vm;
import dev.manaknight.lang.vm.VmLimits;
import dev.manaknight.runtime.AccessLog;
import dev.manaknight.runtime.HandlerExecutor;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.VmExecutor;
import dev.manaknight.runtime.effects.SingleConnectionDatabase;
import dev.manaknight.runtime.json.JsonEncoder;
import dev.manaknight.runtime.json.TypeTable;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request of the seed handler (the README's first example), from the cheapest slice to the whole
 * transport-neutral path: a fresh VM per operation, as in the server. Target: the VM slice
 * at most 1 µs per request on one core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RequestBench {
    /** Rows in the in-memory SQLite table: the same 10,000 users as the HTTP peers' database. */
    static final int ROWS = 10_000;
    /** Prebuilt requests cycled through, so ids vary without a random draw inside the timed code. */
    static final int REQUESTS = 1024;

    private Program program;
    private Route users;
    private Host fakeDb;
    private JsonEncoder encoder;
    private Deployment coreFake;
    private Deployment coreSqlite;
    private Deployment coreHello;
    private Request[] userRequests;
    private Request helloRequest;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws SQLException, java.io.IOException {
        program = Apps.load("seed.mnk");
        Module module = program.module();
        users = Apps.route(module, HttpMethod.GET, "/users/:id");
        fakeDb = new FakeDb(module);
        encoder = new JsonEncoder(new TypeTable(module));
        var vms = new VmExecutor(program, VmLimits.DEFAULTS);
        // The real VM, but every run gets the fake db instead of the core's JDBC-backed host.
        HandlerExecutor withFakeDb = (host, granted) -> vms.start(fakeDb, granted);
        coreFake = Apps.deployment(program, withFakeDb, null);
        coreHello = Apps.deployment(program, vms, null);
        var db = SingleConnectionDatabase.inMemorySqlite();
        // The single connection stays open: closing it would drop the in-memory database.
        try (var s = db.acquire().createStatement()) {
            s.executeUpdate("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)");
            s.executeUpdate("WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < " + ROWS + ") "
                    + "INSERT INTO users (id, name, email) SELECT n, 'user' || n, 'user' || n || '@example.com' FROM seq");
        }
        coreSqlite = Apps.deployment(program, vms, db);
        var random = new SplittableRandom(1000);
        userRequests = new Request[REQUESTS];
        for (int i = 0; i < REQUESTS; i++)
            userRequests[i] = Request.of("GET", "/users/" + random.nextInt(1, ROWS + 1), List.of(), new byte[0], "bench");
        helloRequest = Request.of("GET", "/hello", List.of(), new byte[0], "bench");
        check(coreSqlite.handle(userRequests[0]), "\"email\":\"user");
        check(coreFake.handle(userRequests[0]), "{\"id\":42,\"name\":\"user42\",\"email\":\"user42@example.com\"}");
        check(coreHello.handle(helloRequest), "{\"message\":\"hello\"}");
    }

    private static void check(Reply reply, String expected) {
        if (reply.status() != 200 || !reply.text().contains(expected))
            throw new IllegalStateException("unexpected reply " + reply.status() + " " + reply.text());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        coreFake.close();
        coreHello.close();
        coreSqlite.close();
    }

    /** (a) VM create + run + drop of the seed handler, db answered in memory. */
    @Benchmark
    public Outcome vm() {
        return new Vm(program, fakeDb, VmLimits.DEFAULTS, users.capabilities()).invoke(users.handler(), 42L);
    }

    /** (a) The same, plus the response body encoded to JSON bytes by the runtime's encoder. */
    @Benchmark
    public byte[] vmJson() {
        var outcome = (Outcome.Responded) new Vm(program, fakeDb, VmLimits.DEFAULTS, users.capabilities())
                .invoke(users.handler(), 42L);
        var body = (Response.Body.Json) outcome.response().body();
        return encoder.encode(body.type(), body.value());
    }

    /** (a) `Deployment.handle` (a virtual thread per request, as a server runs it) for GET /users/{id}: route, validate, VM, encode; db faked in memory. */
    @Benchmark
    public Reply coreUsersFakeDb() {
        return coreFake.handle(nextUser());
    }

    /** (a) `Deployment.handle` (a virtual thread per request, as a server runs it) for GET /users/{id} against a real in-memory SQLite table of 10,000 rows. */
    @Benchmark
    public Reply coreUsersSqlite() {
        return coreSqlite.handle(nextUser());
    }

    /** (a) `Deployment.handle` (a virtual thread per request, as a server runs it) for GET /hello: no effects at all. */
    @Benchmark
    public Reply coreHello() {
        return coreHello.handle(helloRequest);
    }

    private Request nextUser() {
        next = (next + 1) & (REQUESTS - 1);
        return userRequests[next];
    }
}

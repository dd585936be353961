package dev.manaknight.bench;

import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.lang.vm.Vm;
import dev.manaknight.lang.vm.VmLimits;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.runtime.json.JsonEncoder;
import dev.manaknight.runtime.json.TypeTable;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * JSON encoding of the seed handler's response on a fresh virtual thread per operation, as the
 * HTTP server runs each request, against the same work on one long-lived thread. Jackson's
 * default buffer recycler is thread-local, so a new thread per request allocates its buffers
 * anew; the `:gc.alloc.rate.norm` of `-prof gc` shows how much.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VirtualThreadJsonBench {
    private Response.Body.Json body;
    private JsonEncoder encoder;

    @Setup(Level.Trial)
    public void setUp() {
        Program program = Apps.load("seed.mnk");
        Route users = Apps.route(program.module(), HttpMethod.GET, "/users/:id");
        var outcome = (Outcome.Responded) new Vm(program, new FakeDb(program.module()), VmLimits.DEFAULTS,
                users.capabilities()).invoke(users.handler(), 42L);
        body = (Response.Body.Json) outcome.response().body();
        encoder = new JsonEncoder(new TypeTable(program.module()));
    }

    /** Encoding on the benchmark's own (platform, long-lived) thread. */
    @Benchmark
    public byte[] sameThread() {
        return encoder.encode(body.type(), body.value());
    }

    /** Starting and joining a virtual thread that does nothing: the baseline for the next one. */
    @Benchmark
    public Thread freshVirtualThreadOnly() throws InterruptedException {
        Thread t = Thread.ofVirtual().start(() -> {});
        t.join();
        return t;
    }

    /** Encoding on a fresh virtual thread, as CoreHandler runs every request. */
    @Benchmark
    public byte[] freshVirtualThread() throws InterruptedException {
        byte[][] out = new byte[1][];
        Thread t = Thread.ofVirtual().start(() -> out[0] = encoder.encode(body.type(), body.value()));
        t.join();
        return out[0];
    }
}

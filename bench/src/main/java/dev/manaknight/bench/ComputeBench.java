package dev.manaknight.bench;

import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.lang.vm.Vm;
import dev.manaknight.lang.vm.VmLimits;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Compute-bound interpreter work (compute.mnk): a counted loop, recursion, a list pipeline and
 * string building. Reports operations per second and, as an auxiliary counter, fuel units per
 * second; bench/RESULTS.md turns fuel into bytecode instructions with each function's
 * per-iteration instruction count from `manaknight disasm`.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ComputeBench {
    /** Loop iterations per op: long enough that VM creation is noise. */
    static final long LOOP_N = 10_000;
    static final long FIB_N = 25;
    static final int PIPELINE_N = 1_000;
    static final long STRINGS_N = 200;
    /** Generous limits: these measure the interpreter, not the request limits. */
    static final VmLimits LIMITS = new VmLimits(64L << 20, Long.MAX_VALUE, 0, VmLimits.DEFAULT_MAX_FRAMES);

    private Program program;
    private int loop;
    private int fib;
    private int pipeline;
    private int strings;
    private Values.ListValue numbers;

    /** Fuel charged by the VM, summed over the iteration: JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Fuel {
        public long fuel;

        @Setup(Level.Iteration)
        public void reset() { fuel = 0; }
    }

    @Setup(Level.Trial)
    public void setUp() {
        program = Apps.load("compute.mnk");
        loop = Apps.function(program.module(), "loop");
        fib = Apps.function(program.module(), "fib");
        pipeline = Apps.function(program.module(), "pipeline");
        strings = Apps.function(program.module(), "strings");
        Object[] xs = new Object[PIPELINE_N];
        for (int i = 0; i < PIPELINE_N; i++) xs[i] = (long) i;
        numbers = new Values.ListValue(xs);
        expect(run(loop, new Fuel(), LOOP_N), 30_000L);
        expect(run(fib, new Fuel(), FIB_N), 75_025L);
        expect(run(pipeline, new Fuel(), numbers), 748_500L);
    }

    private static void expect(Object actual, long expected) {
        if (!Long.valueOf(expected).equals(actual)) throw new IllegalStateException("expected " + expected + ", got " + actual);
    }

    private Object run(int function, Fuel fuel, Object arg) {
        var vm = new Vm(program, (op, args) -> null, LIMITS, 0);
        Outcome outcome = vm.invoke(function, arg);
        fuel.fuel += vm.fuelUsed();
        if (outcome instanceof Outcome.Returned r) return r.value();
        throw new IllegalStateException("run failed: " + outcome);
    }

    /** `for i in 0..10000 { total = total + i * 2 % 7 }` */
    @Benchmark
    public Object loop(Fuel fuel) { return run(loop, fuel, LOOP_N); }

    /** `fib(25)`: 242,785 calls. */
    @Benchmark
    public Object fib(Fuel fuel) { return run(fib, fuel, FIB_N); }

    /** map, filter, fold over 1,000 Ints. */
    @Benchmark
    public Object pipeline(Fuel fuel) { return run(pipeline, fuel, numbers); }

    /** 200 interpolations and concatenations, a split, an upper-casing map, a join. */
    @Benchmark
    public Object strings(Fuel fuel) { return run(strings, fuel, STRINGS_N); }
}

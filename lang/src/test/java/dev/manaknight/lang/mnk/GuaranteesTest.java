package dev.manaknight.lang.mnk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.lang.vm.Vm;
import dev.manaknight.lang.vm.VmLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The language's guarantees (docs/language.md) that are properties of running programs
 * (the compile-time rows are .mnk tests under guarantees/): no state outlives a request's VM,
 * and a request replayed with the same effect results gives a byte-identical response.
 */
class GuaranteesTest {
    private static final String APP = """
            type Visit { n: Int, at: Instant, token: String, seen: List<Int> }

            api GET /visit/:n {
              uses { clock, random }
              param n: Int
              var seen: List<Int> = []
              for i in 0..n {
                seen = seen + [i * random.int(1, 6)]
              }
              respond json(Visit { n: n, at: clock.now(), token: random.uuid(), seen: seen }) headers { "X-Count": "${seen.len()}" }
            }
            """;

    private static Program program() throws Exception {
        Module m = Compiler.compile(List.of(new SourceFile("visit.mnk", APP)));
        return Program.load(m);
    }

    private static int all() {
        int bits = 0;
        for (Capability c : Capability.values()) bits |= c.bit();
        return bits;
    }

    /** A host whose effect results come from a script, and that records every call. */
    private record ScriptedHost(List<Object> results, List<String> calls) implements Host {
        @Override public Object effect(EffectOp op, Object[] args) {
            calls.add(op.qualifiedName() + List.of(args));
            return results.get(calls.size() - 1);
        }
    }

    // Row 4: "accidental shared state: impossible, nothing outlives a request's VM".
    @Test void requestsShareNothingEvenWhenRunConcurrently() throws Exception {
        Program program = program();
        List<Object> script = new ArrayList<>();
        for (int i = 0; i < 5; i++) script.add(2L);
        script.add(java.time.Instant.ofEpochMilli(1_700_000_000_000L));
        script.add("00000000-0000-0000-0000-000000000000");
        var first = run(program, script, 5L);
        var outcomes = new ConcurrentLinkedQueue<Outcome>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) outcomes.add(run(program, script, 5L).outcome());
                }));
            }
            for (Future<?> f : futures) f.get();
        }
        assertEquals(800, outcomes.size());
        for (Outcome o : outcomes) assertEquals(first.outcome(), o, "every request starts from nothing");
    }

    // Row 6: "weak determinism: same request + same effect results = same response".
    @Test void aReplayWithTheSameEffectResultsIsIdentical() throws Exception {
        Program program = program();
        List<Object> script = List.of(3L, 4L, 5L, java.time.Instant.ofEpochMilli(1_700_000_000_123L),
                "c0ffee00-0000-4000-8000-000000000001");
        Run a = run(program, script, 3L), b = run(program, script, 3L);
        assertEquals(a.calls(), b.calls(), "the same effects, in the same order, with the same arguments");
        assertEquals(a.outcome(), b.outcome());
        assertEquals(a.fuel(), b.fuel(), "fuel is deterministic");
        assertEquals(a.memory(), b.memory(), "the memory meter is deterministic");
        var r = assertInstanceOf(Outcome.Responded.class, a.outcome()).response();
        assertEquals("3", r.headers().getFirst().value());
        var json = (dev.manaknight.lang.vm.Response.Body.Json) r.body();
        var visit = (Values.RecordValue) json.value();
        assertEquals(List.of(0L, 4L, 10L), List.of(((Values.ListValue) visit.fields()[3]).items()));
    }

    private record Run(Outcome outcome, List<String> calls, long fuel, long memory) {}

    private static Run run(Program program, List<Object> script, long n) {
        var host = new ScriptedHost(script, new ArrayList<>());
        var vm = new Vm(program, host, new VmLimits(1 << 20, 1_000_000, 0, 64), all());
        Outcome o = vm.invoke(program.module().routes().getFirst().handler(), n);
        return new Run(o, host.calls(), vm.fuelUsed(), vm.memoryUsed());
    }
}

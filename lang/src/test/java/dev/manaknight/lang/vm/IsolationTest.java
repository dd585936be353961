package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Kind;
import dev.manaknight.lang.model.Type;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Determinism (same program and effect results, same everything) and isolation between VMs. */
class IsolationTest {
    private final Asm asm = new Asm();

    /**
     * handler(n): builds a list of "item-i-<random>" for i < n with a builder, a record around it
     * with the clock's time, then responds with it as JSON and a header.
     */
    private int handler() {
        int rnd = asm.effect(Capability.RANDOM, "uuid", 0, Type.STRING);
        int now = asm.effect(Capability.CLOCK, "now", 0, Type.INT);
        int page = asm.record("Page", "items", "at");
        int ref = asm.typeRef(new Type.Named("Page"));
        int item = asm.str("item-"), dash = asm.str("-"), hdr = asm.str("X-Count");
        return asm.fn("GET /items").params("P").locals(4).code(c -> {
            var top = c.newLabel();
            var end = c.newLabel();
            c.op(BUILDER_NEW, 0).op(STORE_R, 1).op(SMALL_INT, 0).op(STORE_P, 2);
            c.bind(top).op(LOAD_P, 2).op(LOAD_P, 0).op(LT_INT).jump(JUMP_IF_FALSE, end);
            c.op(LOAD_R, 1).op(CONST, item).op(LOAD_P, 2).op(STR_INT).op(CONST, dash).op(EFFECT, rnd).op(CONCAT, 4).op(BUILDER_ADD);
            c.op(LOAD_P, 2).op(SMALL_INT, 1).op(ADD_INT).op(STORE_P, 2).jump(LOOP, top);
            c.bind(end).op(SMALL_INT, 200);
            c.op(LOAD_R, 1).op(BUILDER_LIST).op(EFFECT, now).op(RECORD_NEW, page).op(JSON, ref);
            c.op(CONST, hdr).op(LOAD_P, 0).op(STR_INT).op(RESPOND, 1);
        });
    }

    /** A host whose answers depend only on how many calls it has seen: a recorded replay. */
    private static FakeHost replayHost(String seed) {
        var host = new FakeHost();
        host.answer = (op, args) -> op.name().equals("now") ? 1_700_000_000_000L : seed + host.calls.size();
        return host;
    }

    @Test
    void sameProgramAndEffectResultsGiveTheSameOutcomeFuelAndMemory() {
        int fn = handler();
        Program program = asm.program();
        var a = new Vm(program, replayHost("r"), ROOMY, ALL);
        var b = new Vm(program, replayHost("r"), ROOMY, ALL);
        Outcome first = a.invoke(fn, 50L);
        Outcome second = b.invoke(fn, 50L);
        var response = assertInstanceOf(Outcome.Responded.class, first).response();
        assertEquals(first, second);
        assertEquals(a.fuelUsed(), b.fuelUsed());
        assertEquals(a.memoryUsed(), b.memoryUsed());
        assertEquals(50 + 2 + 50, a.fuelUsed(), "50 loops; the JSON body's walk: 2 fields, 50 items");
        var body = (Response.Body.Json) response.body();
        var items = (Values.ListValue) ((Values.RecordValue) body.value()).fields()[0];
        assertEquals("item-49-r50", items.get(49)); // the 50th host call
        // different effect results: a different response, but the same fuel (it is effect-independent here)
        var c = new Vm(program, replayHost("other"), ROOMY, ALL);
        assertNotEquals(first, c.invoke(fn, 50L));
    }

    @Test
    void vmsSharingOneProgramInParallelNeverInterfere() throws Exception {
        int fn = handler();
        Program program = asm.program();
        var expected = new Outcome[8];
        for (int n = 0; n < expected.length; n++) expected[n] = new Vm(program, replayHost("s"), ROOMY, ALL).invoke(fn, (long) n * 10);
        try (var pool = Executors.newFixedThreadPool(4)) {
            var results = new ArrayList<Future<Boolean>>();
            for (int t = 0; t < 4; t++) {
                Callable<Boolean> worker = () -> {
                    for (int round = 0; round < 200; round++) {
                        int n = round % expected.length;
                        Outcome o = new Vm(program, replayHost("s"), ROOMY, ALL).invoke(fn, (long) n * 10);
                        if (!o.equals(expected[n])) return false;
                    }
                    return true;
                };
                results.add(pool.submit(worker));
            }
            for (var r : results) assertTrue(r.get());
        }
    }

    @Test
    void aFailingVmLeavesTheProgramUsable() {
        int fn = handler();
        Program program = asm.program();
        var tiny = new Vm(program, replayHost("x"), new VmLimits(200, 1000, 0, 4), ALL);
        assertEquals(VmError.Kind.MEMORY_EXHAUSTED, failed(tiny.invoke(fn, 100L)).kind());
        assertInstanceOf(Outcome.Responded.class, new Vm(program, replayHost("x"), ROOMY, ALL).invoke(fn, 3L));
    }
}

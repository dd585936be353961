package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Kind;
import dev.manaknight.lang.model.Type;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each limit at its exact edge, and the non-deterministic stops (CPU, cancel) on endless loops. */
class LimitsTest {
    private static final long BIG_MEMORY = 64L << 20;
    private static final long NO_FUEL_LIMIT = Long.MAX_VALUE;

    private final Asm asm = new Asm();

    /** count(n): i = 0; while i < n { i += 1 } — one LOOP per iteration, so exactly n fuel. */
    private int counter() {
        return asm.fn("count").params("P").locals(2).result(Kind.P).code(c -> {
            var top = c.newLabel();
            var end = c.newLabel();
            c.op(SMALL_INT, 0).op(STORE_P, 1);
            c.bind(top).op(LOAD_P, 1).op(LOAD_P, 0).op(LT_INT).jump(JUMP_IF_FALSE, end);
            c.op(LOAD_P, 1).op(SMALL_INT, 1).op(ADD_INT).op(STORE_P, 1).jump(LOOP, top);
            c.bind(end).op(LOAD_P, 1).op(RET_P);
        });
    }

    /** An endless loop: `top: LOOP top`. */
    private int endless() {
        return asm.fn("spin").result(Kind.P).code(c -> {
            var top = c.newLabel();
            c.line(7).bind(top).jump(LOOP, top);
        });
    }

    private Vm vm(long memory, long fuel, long cpuNanos, int frames) {
        return new Vm(asm.program(), new FakeHost(), new VmLimits(memory, fuel, cpuNanos, frames), ALL);
    }

    @Test
    void fuelExactlyEnoughPassesOneLessFails() {
        int fn = counter();
        Vm enough = vm(BIG_MEMORY, 5000, 0, 8);
        assertEquals(5000L, returned(enough.invoke(fn, 5000L)));
        assertEquals(5000, enough.fuelUsed());
        Vm short1 = vm(BIG_MEMORY, 4999, 0, 8);
        VmError e = failed(short1.invoke(fn, 5000L));
        assertEquals(VmError.Kind.FUEL_EXHAUSTED, e.kind());
        assertEquals(4999, short1.fuelUsed());
    }

    @Test
    void callsChargeOneUnitEach() {
        int one = asm.fn("one").result(Kind.P).code(c -> c.op(SMALL_INT, 1).op(RET_P));
        int three = asm.fn("three").result(Kind.P).code(c -> c.op(CALL, one).op(CALL, one).op(ADD_INT).op(CALL, one).op(ADD_INT).op(RET_P));
        Vm exact = vm(BIG_MEMORY, 3, 0, 8);
        assertEquals(3L, returned(exact.invoke(three)));
        assertEquals(3, exact.fuelUsed());
        assertEquals(VmError.Kind.FUEL_EXHAUSTED, failed(vm(BIG_MEMORY, 2, 0, 8).invoke(three)).kind());
    }

    @Test
    void anEndlessLoopStopsWithFuelAtTheLoop() {
        int fn = endless();
        Vm v = vm(BIG_MEMORY, 100_000, 0, 8);
        VmError e = failed(v.invoke(fn));
        assertEquals(VmError.Kind.FUEL_EXHAUSTED, e.kind());
        assertEquals(100_000, v.fuelUsed());
        assertEquals(new VmError.StackFrame("spin", Asm.FILE, 7), e.stack().getFirst());
    }

    @Test
    void memoryExactlyEnoughPassesOneLessFails() {
        // "ab" + "cd" + "ef", a list of it and a boxed Int, a record: several charges in one run
        int user = asm.record("Pair", "a", "b");
        int ab = asm.str("ab"), cd = asm.str("cd"), ef = asm.str("ef");
        int fn = asm.fn("alloc").result(Kind.R).code(c -> c.op(CONST, ab).op(CONST, cd).op(CONST, ef).op(CONCAT, 3)
                .op(SMALL_INT, 1).op(BOX_INT).op(LIST_NEW, 2).op(UNIT).op(RECORD_NEW, user).op(RET_R));
        Vm measure = vm(BIG_MEMORY, 100, 0, 8);
        returned(measure.invoke(fn));
        long need = measure.memoryUsed();
        assertEquals(MemoryMeter.string(6) + MemoryMeter.BOX + MemoryMeter.list(2) + MemoryMeter.record(2), need);
        Vm exact = vm(need, 100, 0, 8);
        returned(exact.invoke(fn));
        assertEquals(need, exact.memoryUsed());
        Vm short1 = vm(need - 1, 100, 0, 8);
        assertEquals(VmError.Kind.MEMORY_EXHAUSTED, failed(short1.invoke(fn)).kind());
        assertTrue(short1.memoryUsed() <= need - 1);
    }

    @Test
    void aStringTooLargeForTheMeterIsNeverBuilt() {
        // doubling a string in a loop: stops at the limit, long before the JVM heap is at risk
        int seed = asm.str("0123456789abcdef");
        int fn = asm.fn("double").locals(1).result(Kind.R).code(c -> {
            var top = c.newLabel();
            c.op(CONST, seed).op(STORE_R, 0);
            c.bind(top).op(LOAD_R, 0).op(LOAD_R, 0).op(CONCAT, 2).op(STORE_R, 0).jump(LOOP, top);
        });
        Vm v = vm(256 * 1024, NO_FUEL_LIMIT, 0, 8);
        assertEquals(VmError.Kind.MEMORY_EXHAUSTED, failed(v.invoke(fn)).kind());
        assertTrue(v.memoryUsed() <= 256 * 1024);
    }

    /** depth(n) = n == 0 ? 0 : depth(n - 1) + 1, using n + 1 frames. */
    private int recursive() {
        int self = asm.reserve();
        return asm.fn("depth").at(self).params("P").result(Kind.P).code(c -> {
            var base = c.newLabel();
            c.line(20).op(LOAD_P, 0).op(SMALL_INT, 0).op(EQ_INT).jump(JUMP_IF_TRUE, base);
            c.line(21).op(LOAD_P, 0).op(SMALL_INT, 1).op(SUB_INT).op(CALL, self).op(SMALL_INT, 1).op(ADD_INT).op(RET_P);
            c.line(22).bind(base).op(SMALL_INT, 0).op(RET_P);
        });
    }

    @Test
    void framesExactlyMaxPassOneMoreFails() {
        int fn = recursive();
        assertEquals(9L, returned(vm(BIG_MEMORY, 1000, 0, 10).invoke(fn, 9L)), "10 frames in a limit of 10");
        VmError e = failed(vm(BIG_MEMORY, 1000, 0, 10).invoke(fn, 10L));
        assertEquals(VmError.Kind.STACK_OVERFLOW, e.kind());
        assertEquals(10, e.stack().size());
        assertTrue(e.stack().stream().allMatch(f -> f.function().equals("depth") && f.line() == 21), e.render());
        assertEquals(VmError.Kind.STACK_OVERFLOW, failed(vm(BIG_MEMORY, 1000, 0, 1).invoke(fn, 1L)).kind());
        assertEquals(0L, returned(vm(BIG_MEMORY, 1000, 0, 1).invoke(fn, 0L)));
    }

    @Test
    void deepRecursionGrowsTheStackAndPaysForIt() {
        int fn = recursive();
        Vm v = vm(BIG_MEMORY, 10_000, 0, VmLimits.DEFAULT_MAX_FRAMES);
        assertEquals(255L, returned(v.invoke(fn, 255L)));
        assertTrue(v.memoryUsed() > 0, "stack and frame growth are charged");
        Vm tight = vm(v.memoryUsed() - 1, 10_000, 0, VmLimits.DEFAULT_MAX_FRAMES);
        assertEquals(VmError.Kind.MEMORY_EXHAUSTED, failed(tight.invoke(fn, 255L)).kind());
        assertEquals(VmError.Kind.STACK_OVERFLOW, failed(vm(BIG_MEMORY, 10_000, 0, VmLimits.DEFAULT_MAX_FRAMES).invoke(fn, 256L)).kind());
    }

    @Test
    void cpuLimitStopsAFuelUnlimitedLoop() {
        int fn = endless();
        VmError e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> failed(vm(BIG_MEMORY, NO_FUEL_LIMIT, TimeUnit.MILLISECONDS.toNanos(5), 8).invoke(fn)));
        assertEquals(VmError.Kind.CPU_EXHAUSTED, e.kind());
        assertEquals("spin", e.stack().getFirst().function());
    }

    @Test
    void timeInTheHostDoesNotCountAsCpu() {
        int sleep = asm.effect(Capability.CLOCK, "now", 0, Type.INT);
        int loop = counter();
        int fn = asm.fn("slowHost").result(Kind.P).code(c -> c.op(EFFECT, sleep).op(POP_R).op(SMALL_INT, 3000).op(CALL, loop).op(RET_P));
        var host = new FakeHost();
        host.sleepMillis = 300;
        host.answer = (op, args) -> 0L;
        var v = new Vm(asm.program(), host, new VmLimits(BIG_MEMORY, NO_FUEL_LIMIT, TimeUnit.MILLISECONDS.toNanos(100), 8), ALL);
        assertEquals(3000L, returned(v.invoke(fn)));
    }

    @Test
    void cancelFromAnotherThreadStopsALoopWithTimeout() throws Exception {
        int fn = endless();
        Vm v = vm(BIG_MEMORY, NO_FUEL_LIMIT, 0, 8);
        var result = CompletableFuture.supplyAsync(() -> v.invoke(fn));
        Thread.sleep(50);
        assertFalse(result.isDone(), "the loop is endless until cancelled");
        v.cancel();
        VmError e = failed(result.get(20, TimeUnit.SECONDS));
        assertEquals(VmError.Kind.TIMEOUT, e.kind());
    }

    private long fuelOf(java.util.function.Consumer<dev.manaknight.lang.bytecode.CodeBuilder> body) {
        int fn = asm.fn("walk").result(Kind.R).code(c -> { body.accept(c); c.op(RET_R); });
        Vm v = vm(BIG_MEMORY, 1_000_000, 0, 8);
        returned(v.invoke(fn));
        return v.fuelUsed();
    }

    @Test
    void builtinsPayFuelForTheDataTheyWalk() {
        int s15 = asm.str("x".repeat(15)), s32 = asm.str("x".repeat(32)), a = asm.str("a");
        int len = dev.manaknight.lang.bytecode.Builtin.STR_LEN.id();
        int reverse = dev.manaknight.lang.bytecode.Builtin.LIST_REVERSE.id();
        assertEquals(0, fuelOf(c -> c.op(CONST, s15).op(BUILTIN, len).op(BOX_INT)), "under 16 chars is free");
        assertEquals(2, fuelOf(c -> c.op(CONST, s32).op(BUILTIN, len).op(BOX_INT)), "one unit per 16 chars");
        assertEquals(4, fuelOf(c -> c.op(CONST, s32).op(CONST, s32).op(CONCAT, 2)));
        assertEquals(3, fuelOf(c -> c.op(CONST, a).op(CONST, a).op(CONST, a).op(LIST_NEW, 3).op(BUILTIN, reverse)), "one unit per element");
    }

    /** x = [s]; 40 times x = [x, x]: 40 small lists that unfold into 2^40 strings; then `tail` on x. */
    private int sharedTree(java.util.function.Consumer<dev.manaknight.lang.bytecode.CodeBuilder> tail) {
        int s = asm.str("0123456789");
        return asm.fn("tree").locals(2).result(Kind.R).code(c -> {
            var top = c.newLabel();
            var end = c.newLabel();
            c.op(CONST, s).op(LIST_NEW, 1).op(STORE_R, 0).op(SMALL_INT, 0).op(STORE_P, 1);
            c.bind(top).op(LOAD_P, 1).op(SMALL_INT, 40).op(LT_INT).jump(JUMP_IF_FALSE, end);
            c.op(LOAD_R, 0).op(LOAD_R, 0).op(LIST_NEW, 2).op(STORE_R, 0);
            c.op(LOAD_P, 1).op(SMALL_INT, 1).op(ADD_INT).op(STORE_P, 1).jump(LOOP, top);
            c.bind(end);
            tail.accept(c);
        });
    }

    @Test
    void walkingAValueWithSharedPartsIsPaidPerElementReached() {
        // without the walk's fuel each of these would run for hours or exhaust the JVM heap
        int text = sharedTree(c -> c.op(LOAD_R, 0).op(STR_ANY).op(RET_R));
        assertEquals(VmError.Kind.FUEL_EXHAUSTED, failed(vm(BIG_MEMORY, 1_000_000, 0, 8).invoke(text)).kind());
        int ref = asm.typeRef(Type.listOf(Type.JSON));
        int json = sharedTree(c -> c.op(SMALL_INT, 200).op(LOAD_R, 0).op(JSON, ref).op(RESPOND, 0));
        assertEquals(VmError.Kind.FUEL_EXHAUSTED, failed(vm(BIG_MEMORY, 1_000_000, 0, 8).invoke(json)).kind());
        // two equal trees built apart: equality has to walk them
        int other = sharedTree(c -> c.op(LOAD_R, 0).op(RET_R));
        int eq = asm.fn("eq").result(Kind.P).code(c -> c.op(CALL, other).op(CALL, other).op(EQ_R).op(RET_P));
        assertEquals(VmError.Kind.FUEL_EXHAUSTED, failed(vm(BIG_MEMORY, 1_000_000, 0, 8).invoke(eq)).kind());
        // small shared values print fine, and their walk is counted
        int small = asm.str("ab");
        int ok = asm.fn("ok").locals(1).result(Kind.R).code(c -> c.op(CONST, small).op(LIST_NEW, 1).op(STORE_R, 0)
                .op(LOAD_R, 0).op(LOAD_R, 0).op(LIST_NEW, 2).op(STR_ANY).op(RET_R));
        Vm v = vm(BIG_MEMORY, 1_000, 0, 8);
        assertEquals("[[\"ab\"], [\"ab\"]]", returned(v.invoke(ok)));
        assertEquals(5, v.fuelUsed(), "2 outer elements + 1 inner element reached twice + 1 for the text (bound 26 chars)");
    }

    /** Fails unless the run needs exactly `need` of one limit: with `need` it passes, with one less it fails so. */
    private void exactly(long need, java.util.function.LongFunction<Vm> vmWithLimit, java.util.function.Function<Vm, Outcome> run,
                         VmError.Kind kind) {
        returned(run.apply(vmWithLimit.apply(need)));
        assertEquals(kind, failed(run.apply(vmWithLimit.apply(need - 1))).kind());
    }

    @Test
    void inputsAreChargedToTheMeterExactlyAtTheLimitPassOneByteMoreFails() {
        // issue 12: a 750 KB body used to show `memory 104`: the arguments were never charged
        int fn = asm.fn("handler").params("RP").stack(2).result(Kind.R).code(c -> c.line(4).op(UNIT).op(RET_R));
        String body = "x".repeat(1000);
        long need = MemoryMeter.string(1000); // the unboxed Int argument lives in a stack slot
        exactly(need, limit -> vm(limit, 100, 0, 8), v -> v.invoke(fn, body, 5L), VmError.Kind.MEMORY_EXHAUSTED);
        Vm over = vm(need - 1, 100, 0, 8);
        VmError e = failed(over.invoke(fn, body, 5L));
        assertEquals(new VmError.StackFrame("handler", Asm.FILE, 4), e.stack().getFirst());
        assertTrue(e.message().contains("inputs (2040 bytes)"), e.message());
        assertEquals(0, over.memoryUsed());
        // the bytes the runtime holds (the raw body) count with them
        exactly(need + 1000, limit -> {
            Vm v = vm(limit, 100, 0, 8);
            v.chargeHeld(1000);
            return v;
        }, v -> v.invoke(fn, body, 5L), VmError.Kind.MEMORY_EXHAUSTED);
        // a structured input is charged deeply, as if the VM had built it
        var rows = list("ab", list("c"), new Values.Some(1L));
        long deep = MemoryMeter.list(3) + MemoryMeter.string(2) + MemoryMeter.list(1) + MemoryMeter.string(1)
                + 2 * MemoryMeter.BOX; // some(1): the wrapper and the boxed Int
        assertEquals(deep, MemoryMeter.deep(rows));
        exactly(deep, limit -> vm(limit, 100, 0, 8), v -> v.invoke(fn, rows, 5L), VmError.Kind.MEMORY_EXHAUSTED);
        assertThrows(IllegalArgumentException.class, () -> vm(BIG_MEMORY, 100, 0, 8).chargeHeld(-1));
    }

    @Test
    void aSearchPaysForTheTextAndThePatternExactly() {
        // issue 12: the two-way search reads the pattern twice, then the text once, 16 chars a unit
        int fn = asm.fn("search").params("RR").result(Kind.P).code(c -> c.op(LOAD_R, 0).op(LOAD_R, 1)
                .op(BUILTIN, dev.manaknight.lang.bytecode.Builtin.STR_CONTAINS.id()).op(RET_P));
        String text = "a".repeat(100_000), pattern = "a".repeat(20) + "b";
        long need = 2 * 21 / 16 + 100_000 / 16;
        exactly(need, limit -> vm(BIG_MEMORY, limit, 0, 8), v -> v.invoke(fn, text, pattern), VmError.Kind.FUEL_EXHAUSTED);
        // a match ends the walk: 50,000 chars to its end
        String found = "a".repeat(49_979) + pattern + "a".repeat(50_000);
        exactly(2 * 21 / 16 + 50_000 / 16, limit -> vm(BIG_MEMORY, limit, 0, 8), v -> v.invoke(fn, found, pattern),
                VmError.Kind.FUEL_EXHAUSTED);
    }

    @Test
    void comparingLongStringsPaysForTheCharsCompared() {
        // issue 12: `==` on two 500,000-char strings used to be free
        int fn = asm.fn("eq").params("RR").result(Kind.P).code(c -> c.op(LOAD_R, 0).op(LOAD_R, 1).op(EQ_R).op(RET_P));
        String a = "a".repeat(100_000), b = new String(a.toCharArray());
        exactly(100_000 / 16, limit -> vm(BIG_MEMORY, limit, 0, 8), v -> v.invoke(fn, a, b), VmError.Kind.FUEL_EXHAUSTED);
        Vm v = vm(BIG_MEMORY, 1, 0, 8);
        assertEquals(0L, returned(v.invoke(fn, a, a + "b")), "lengths differ: nothing compared");
        assertEquals(0, v.fuelUsed());
    }

    @Test
    void upperChargesItsExpansionsBeforeItMakesThem() {
        int s = asm.str("ß".repeat(1000));
        int fn = asm.fn("upper").stack(2).result(Kind.R).code(c -> c.op(CONST, s)
                .op(BUILTIN, dev.manaknight.lang.bytecode.Builtin.STR_UPPER.id()).op(RET_R));
        long need = MemoryMeter.string(2000); // "SS" a thousand times: the input's length first, then each expansion
        exactly(need, limit -> vm(limit, 1000, 0, 8), v -> v.invoke(fn), VmError.Kind.MEMORY_EXHAUSTED);
    }

    @Test
    void decimalArithmeticPaysForItsDigits() {
        // issue 12: a product of two 60,000-digit numbers took milliseconds for one unit of fuel
        int fn = asm.fn("square").params("R").result(Kind.R).code(c -> c.op(LOAD_R, 0).op(LOAD_R, 0).op(MUL_DEC).op(RET_R));
        var x = new java.math.BigDecimal("9".repeat(200));
        assertEquals(400 / 16 + (400 / 64) * (400 / 64), Decimals.cost(400));
        exactly(Decimals.cost(400), limit -> vm(BIG_MEMORY, limit, 0, 8), v -> v.invoke(fn, x), VmError.Kind.FUEL_EXHAUSTED);
        assertEquals(0, Decimals.cost(15), "money-sized numbers pay nothing");
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new VmLimits(0, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new VmLimits(1, 1, 0, 0));
    }
}

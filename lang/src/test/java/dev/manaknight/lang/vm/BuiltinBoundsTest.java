package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Kind;
import dev.manaknight.lang.model.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: every builtin is bounded by the request's budget. Each attack below made one builtin
 * call run for seconds (naive search, Java's quadratic case mapping and parsing, uncharged
 * comparisons of long strings, Decimal products), past a 5 ms CPU limit and any deadline,
 * because the work was not paid for as it was done and the cancel flag was not looked at
 * inside the call.
 */
class BuiltinBoundsTest {
    /** Memory for inputs of a few hundred thousand chars: the attacks must reach the builtin, not the meter. */
    static final long ROOM = 64L << 20;
    /** The default fuel and CPU limits. */
    static final VmLimits DEFAULTS_WITH_ROOM = new VmLimits(ROOM, VmLimits.DEFAULTS.fuel(), VmLimits.DEFAULTS.cpuNanos(),
            VmLimits.DEFAULT_MAX_FRAMES);
    /** Fuel alone, no CPU limit: the deterministic budget must bound the work by itself. */
    static final VmLimits FUEL_ONLY = new VmLimits(ROOM, VmLimits.DEFAULTS.fuel(), 0, VmLimits.DEFAULT_MAX_FRAMES);
    static final VmLimits UNLIMITED = new VmLimits(ROOM, Long.MAX_VALUE, 0, VmLimits.DEFAULT_MAX_FRAMES);

    static final String A500K = "a".repeat(500_000);
    private static final String NEEDLE = "a".repeat(5_000) + "b";

    private final Asm asm = new Asm();

    /** One attack: a builtin call (or a few instructions) on the arguments, leaving nothing on the stack. */
    private record Attack(String name, Object[] args, Consumer<CodeBuilder> call) {
        String params() { return "R".repeat(args.length); }
    }

    /** `b(arg0)` or `b(arg0, arg1)`, its result popped from the lane `pop` says. */
    private static Consumer<CodeBuilder> call(Builtin b, int args, Opcode pop) {
        return c -> {
            for (int i = 0; i < args; i++) c.op(LOAD_R, i);
            c.op(BUILTIN, b.id()).op(pop);
        };
    }

    /** `arg0 op arg1` (or `op arg0` for one argument), its result popped from the lane `pop` says. */
    private static Consumer<CodeBuilder> op(Opcode op, int args, Opcode pop) {
        return c -> {
            for (int i = 0; i < args; i++) c.op(LOAD_R, i);
            c.op(op).op(pop);
        };
    }

    private static Attack attack(String name, Consumer<CodeBuilder> call, Object... args) { return new Attack(name, args, call); }

    private static String copy(String s) { return new String(s.toCharArray()); }

    /** A 249,999-char prefix shared by every key, so comparing two of them walks it all. */
    private static String longKey(char last) { return "k".repeat(249_999) + last; }

    /** The attacks, each of which used to run for seconds or more within the default fuel. */
    private List<Attack> attacks() {
        int x = asm.str("x");
        var map = new Values.MapValue(new String[] {longKey('1'), longKey('2')}, new Object[] {1L, 2L});
        Object[] elements = new Object[100], keys = new Object[100];
        for (int i = 0; i < 100; i++) {
            elements[i] = (long) i;
            keys[i] = "k".repeat(50_000) + (char) ('z' - i % 26) + i;
        }
        var big = new BigDecimal(new BigInteger("7".repeat(60_000)));
        var half = new BigDecimal(new BigInteger("3".repeat(30_000)));
        return List.of(
                attack("contains", call(Builtin.STR_CONTAINS, 2, POP_P), A500K, NEEDLE),
                attack("split", call(Builtin.STR_SPLIT, 2, POP_R), A500K, NEEDLE),
                attack("replace", c -> c.op(LOAD_R, 0).op(LOAD_R, 1).op(CONST, x).op(BUILTIN, Builtin.STR_REPLACE.id()).op(POP_R),
                        A500K, NEEDLE),
                attack("upper", call(Builtin.STR_UPPER, 1, POP_R), "ß".repeat(100_000)),
                attack("lower", call(Builtin.STR_LOWER, 1, POP_R), "Σ".repeat(100_000)),
                attack("toDecimal", call(Builtin.STR_TO_DECIMAL, 1, POP_R), "1".repeat(500_000)),
                attack("==", op(EQ_R, 2, POP_P), A500K, copy(A500K)),
                attack("map get", call(Builtin.MAP_GET, 2, POP_R), map, longKey('2')),
                attack("list contains", call(Builtin.LIST_CONTAINS, 2, POP_P),
                        list(longKey('1'), longKey('2'), longKey('3'), longKey('4')), longKey('4')),
                attack("sortBy", call(Builtin.LIST_SORT_BY_KEYS, 2, POP_R), list(elements), list(keys)),
                attack("Decimal *", c -> c.op(LOAD_R, 0).op(LOAD_R, 0).op(MUL_DEC).op(POP_R), big),
                attack("Decimal /", op(DIV_DEC, 2, POP_R), big, half));
    }

    private Attack named(String name) {
        return attacks().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    /** attack(args): forever { call } */
    private int forever(Attack a) {
        return asm.fn("attack").params(a.params()).result(Kind.R).code(c -> {
            var top = c.newLabel();
            c.line(3).bind(top);
            a.call().accept(c);
            c.jump(LOOP, top);
        });
    }

    /** attack(args): call once, return unit */
    private int once(Attack a) {
        return asm.fn("once").params(a.params()).result(Kind.R).code(c -> {
            c.line(3);
            a.call().accept(c);
            c.op(UNIT).op(RET_R);
        });
    }

    /** Runs the attack to its failure, which must be one of `kinds` and come within `millis` of wall time. */
    private Vm runFor(VmLimits limits, int fn, Attack a, Set<VmError.Kind> kinds, long millis) {
        var vm = new Vm(asm.program(), new FakeHost(), limits, ALL);
        long start = System.nanoTime();
        VmError e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> failed(vm.invoke(fn, a.args())), a.name());
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(kinds.contains(e.kind()), a.name() + " failed with " + e.kind());
        assertTrue(took < millis, a.name() + " ran " + took + " ms");
        return vm;
    }

    @Test
    void withTheDefaultFuelAndCpuLimitsEveryAttackStopsWellUnderASecond() {
        for (Attack a : attacks()) {
            runFor(DEFAULTS_WITH_ROOM, forever(a), a,
                    Set.of(VmError.Kind.FUEL_EXHAUSTED, VmError.Kind.CPU_EXHAUSTED, VmError.Kind.MEMORY_EXHAUSTED), 1000);
        }
    }

    @Test
    void fuelAloneStopsEveryAttack() {
        // without a CPU limit the work must be paid in fuel: before issue 12, comparing two
        // 500,000-char strings cost nothing, so a million of them fitted in the default fuel
        // (a million units take from 5 to 700 ms here, depending on the builtin and the machine's load)
        for (Attack a : attacks()) {
            int fn = forever(a);
            Set<VmError.Kind> kinds = Set.of(VmError.Kind.FUEL_EXHAUSTED, VmError.Kind.MEMORY_EXHAUSTED);
            long fuel = runFor(FUEL_ONLY, fn, a, kinds, 5000).fuelUsed();
            assertEquals(fuel, runFor(FUEL_ONLY, fn, a, kinds, 5000).fuelUsed(), a.name() + ": the same fuel every time");
        }
    }

    @Test
    void aCancelledRunStopsInsideALongBuiltinAtItsFirstTick() {
        // cancelled before it starts, the run meets the flag at the first tick, which is inside the
        // builtin: it stops there, having paid about one tick, not after the whole call
        Object[] many = new Object[100_000];
        java.util.Arrays.fill(many, "abcdefghijklmnop");
        int space = asm.str(" ");
        var walks = new java.util.ArrayList<Attack>();
        for (String name : List.of("contains", "split", "replace", "upper", "lower", "==", "map get", "list contains", "sortBy"))
            walks.add(named(name));
        walks.addAll(List.of(
                attack("len", call(Builtin.STR_LEN, 1, POP_P), A500K),
                attack("trim", call(Builtin.STR_TRIM, 1, POP_R), " ".repeat(500_000) + "x"),
                attack("startsWith", call(Builtin.STR_STARTS_WITH, 2, POP_P), A500K, copy(A500K)),
                attack("compare", op(CMP_STR, 2, POP_P), A500K, copy(A500K)),
                attack("toInt", call(Builtin.STR_TO_INT, 1, POP_R), "0".repeat(500_000)),
                attack("join", c -> c.op(LOAD_R, 0).op(CONST, space).op(BUILTIN, Builtin.LIST_JOIN.id()).op(POP_R), list(many)),
                attack("display", op(STR_ANY, 1, POP_R), list(many))));
        for (Attack a : walks) {
            int fn = once(a);
            var vm = new Vm(asm.program(), new FakeHost(), UNLIMITED, ALL);
            vm.cancel();
            VmError e = failed(vm.invoke(fn, a.args()));
            assertEquals(VmError.Kind.TIMEOUT, e.kind(), a.name());
            assertTrue(vm.fuelUsed() <= 2L * Budget.TICK, a.name() + " paid " + vm.fuelUsed() + " before it looked");
            var whole = new Vm(asm.program(), new FakeHost(), UNLIMITED, ALL);
            returned(whole.invoke(fn, a.args()));
            assertTrue(whole.fuelUsed() > 4L * Budget.TICK, a.name() + " is long: " + whole.fuelUsed());
        }
    }

    @Test
    void aCancelFromAnotherThreadStopsABuiltinLoopPromptly() throws Exception {
        int started = asm.effect(Capability.CLOCK, "now", 0, Type.INT);
        Attack contains = named("contains");
        int fn = asm.fn("attack").params("RR").result(Kind.R).code(c -> {
            var top = c.newLabel();
            c.line(2).op(EFFECT, started).op(POP_R);
            c.line(3).bind(top);
            contains.call().accept(c);
            c.jump(LOOP, top);
        });
        var running = new CountDownLatch(1);
        var host = new FakeHost();
        host.answer = (op, args) -> {
            running.countDown();
            return 0L;
        };
        var vm = new Vm(asm.program(), host, UNLIMITED, ALL);
        var result = CompletableFuture.supplyAsync(() -> vm.invoke(fn, contains.args()));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        long cancelled = System.nanoTime();
        vm.cancel();
        VmError e = failed(result.get(10, TimeUnit.SECONDS));
        long millis = (System.nanoTime() - cancelled) / 1_000_000;
        assertEquals(VmError.Kind.TIMEOUT, e.kind());
        assertTrue(Set.of(2, 3).contains(e.stack().getFirst().line()), "the effect or the loop: " + e.render());
        assertTrue(millis < 500, "stopped " + millis + " ms after the cancel");
    }

    @Test
    void theIssuesAttackWithTheDefaultLimitsIsRefusedBeforeItRuns() {
        // issue 12's measured request: a 500,000-char body and `s.contains(p)`. Its input alone is
        // about 1 MB by the meter's estimate, four times the default 256 KB: the run fails at once.
        Attack a = named("contains");
        int fn = forever(a);
        var vm = new Vm(asm.program(), new FakeHost(), VmLimits.DEFAULTS, ALL);
        VmError e = failed(vm.invoke(fn, a.args()));
        assertEquals(VmError.Kind.MEMORY_EXHAUSTED, e.kind());
        assertEquals(0, vm.fuelUsed());
        assertTrue(e.message().contains("inputs"), e.message());
        assertEquals(new VmError.StackFrame("attack", Asm.FILE, 3), e.stack().getFirst());
    }
}

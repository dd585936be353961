package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.model.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What every builtin's bounds test holds for its {@link #attacks}, each one builtin call on
 * arguments 0.. (R) made long by its data: in an endless loop the budget stops it well under a
 * second, fuel alone stops it at the same count every time, and a cancelled run stops inside the
 * call at its first tick.
 */
abstract class AttackContract {
    static final VmLimits DEFAULTS_WITH_ROOM = BuiltinBoundsTest.DEFAULTS_WITH_ROOM;
    static final VmLimits FUEL_ONLY = BuiltinBoundsTest.FUEL_ONLY;
    static final VmLimits UNLIMITED = BuiltinBoundsTest.UNLIMITED;
    static final String A500K = BuiltinBoundsTest.A500K;

    /** One call on arguments 0.. (R), leaving nothing on the stack. */
    record Attack(String name, Object[] args, Consumer<CodeBuilder> call) {}

    static Attack attack(String name, Consumer<CodeBuilder> call, Object... args) { return new Attack(name, args, call); }

    final Asm asm = new Asm();

    abstract List<Attack> attacks();

    /** False for a call that is one step paid before it starts (a BigDecimal operation), so it cannot see a cancel inside. */
    boolean ticksInside(Attack a) { return true; }

    private static String params(Attack a) { return "R".repeat(a.args().length); }

    int forever(Attack a) {
        return asm.fn("attack").params(params(a)).result(Kind.R).code(c -> {
            var top = c.newLabel();
            c.line(3).bind(top);
            a.call().accept(c);
            c.jump(LOOP, top);
        });
    }

    int once(Attack a) {
        return asm.fn("once").params(params(a)).result(Kind.R).code(c -> {
            c.line(3);
            a.call().accept(c);
            c.op(UNIT).op(RET_R);
        });
    }

    private Vm runFor(VmLimits limits, int fn, Attack a, long millis) {
        var vm = new Vm(asm.program(), new FakeHost(), limits, ALL);
        long start = System.nanoTime();
        VmError e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> failed(vm.invoke(fn, a.args())), a.name());
        long took = (System.nanoTime() - start) / 1_000_000;
        var stops = Set.of(VmError.Kind.FUEL_EXHAUSTED, VmError.Kind.CPU_EXHAUSTED, VmError.Kind.MEMORY_EXHAUSTED);
        assertTrue(stops.contains(e.kind()), a.name() + " failed with " + e.kind());
        assertTrue(took < millis, a.name() + " ran " + took + " ms");
        return vm;
    }

    @Test
    void inALoopEachStopsWithinItsBudgetWellUnderASecond() {
        for (Attack a : attacks()) runFor(DEFAULTS_WITH_ROOM, forever(a), a, 1000);
    }

    @Test
    void fuelAloneStopsEachAndTheFuelIsTheSameEveryTime() {
        for (Attack a : attacks()) {
            int fn = forever(a);
            long fuel = runFor(FUEL_ONLY, fn, a, 5000).fuelUsed();
            assertEquals(fuel, runFor(FUEL_ONLY, fn, a, 5000).fuelUsed(), a.name());
        }
    }

    @Test
    void aCancelledRunStopsInsideALongCallAtItsFirstTick() {
        for (Attack a : attacks()) {
            if (!ticksInside(a)) continue;
            int fn = once(a);
            var vm = new Vm(asm.program(), new FakeHost(), UNLIMITED, ALL);
            vm.cancel();
            assertEquals(VmError.Kind.TIMEOUT, failed(vm.invoke(fn, a.args())).kind(), a.name());
            assertTrue(vm.fuelUsed() <= 2L * Budget.TICK, a.name() + " paid " + vm.fuelUsed() + " before it looked");
            var whole = new Vm(asm.program(), new FakeHost(), UNLIMITED, ALL);
            returned(whole.invoke(fn, a.args()));
            assertTrue(whole.fuelUsed() > 4L * Budget.TICK, a.name() + " is long: " + whole.fuelUsed());
        }
    }
}

package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.model.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: the text and number builtins (`slice`, `indexOf`, `padStart`/`padEnd`, `repeat`,
 * `format`, `Decimal.toInt`) are metered like issue 12's: fuel for the text they walk and make,
 * memory for what they make, charged before it is made (exactly the limit passes, one byte less
 * fails), and a long call meets the budget's ticks (a cancel stops it inside the call).
 */
class TextBuiltinBoundsTest extends AttackContract {
    /** `toInt` and `format` are one BigDecimal step each: paid before, not ticking. */
    @Override
    boolean ticksInside(Attack a) { return !a.name().equals("toInt") && !a.name().equals("format"); }

    @Override
    List<Attack> attacks() {
        int big = asm.intConst(499_999), width = asm.intConst(500_000), times = asm.intConst(250_000), two = asm.intConst(2);
        int zero = asm.str("0"), ab = asm.str("ab"), comma = asm.str(",");
        String needle = "a".repeat(5_000) + "b";
        var digits = new BigDecimal(new BigInteger("7".repeat(60_000)));
        Object[] many = new Object[100_000];
        java.util.Arrays.fill(many, "abcdefghijklmnop");
        return List.of(
                attack("slice", c -> c.op(LOAD_R, 0).op(SMALL_INT, 1).op(CONST_INT, big).op(BUILTIN, Builtin.STR_SLICE.id())
                        .op(POP_R), A500K),
                attack("indexOf", c -> c.op(LOAD_R, 0).op(LOAD_R, 1).op(BUILTIN, Builtin.STR_INDEX_OF.id()).op(POP_R),
                        A500K, needle),
                attack("padStart", c -> c.op(LOAD_R, 0).op(CONST_INT, width).op(CONST, zero)
                        .op(BUILTIN, Builtin.STR_PAD_START.id()).op(POP_R), "7"),
                attack("padEnd", c -> c.op(LOAD_R, 0).op(CONST_INT, width).op(CONST, ab)
                        .op(BUILTIN, Builtin.STR_PAD_END.id()).op(POP_R), "7"),
                attack("repeat", c -> c.op(CONST, ab).op(CONST_INT, times).op(BUILTIN, Builtin.STR_REPEAT.id()).op(POP_R)),
                attack("format", c -> c.op(LOAD_R, 0).op(CONST_INT, two).op(CONST, comma)
                        .op(BUILTIN, Builtin.DEC_FORMAT.id()).op(POP_R), digits),
                attack("toInt", c -> c.op(LOAD_R, 0).op(BUILTIN, Builtin.DEC_TO_INT.id()).op(POP_R),
                        new BigDecimal(new BigInteger("7".repeat(60_000)), 59_990)),
                attack("show", c -> c.op(LOAD_R, 0).op(BUILTIN, Builtin.VALUE_SHOW.id()).op(POP_R), list(many)));
    }

    /** Fuel and memory of `body` (leaving a String), run with plenty of both. */
    private Vm measure(Consumer<CodeBuilder> body) {
        int fn = asm.fn("m").result(Kind.R).code(c -> { body.accept(c); c.op(RET_R); });
        var vm = new Vm(asm.program(), new FakeHost(), UNLIMITED, ALL);
        returned(vm.invoke(fn));
        return vm;
    }

    @Test
    void theyPayForTheTextTheyMakeAndWalk() {
        int ab = asm.str("ab"), n = asm.intConst(800), fill = asm.str("xy"), s = asm.str("a".repeat(3200));
        Vm repeat = measure(c -> c.op(CONST, ab).op(CONST_INT, n).op(BUILTIN, Builtin.STR_REPEAT.id()));
        assertEquals(1600 / 16, repeat.fuelUsed(), "1,600 chars made");
        assertEquals(MemoryMeter.string(1600), repeat.memoryUsed());
        Vm pad = measure(c -> c.op(CONST, ab).op(CONST_INT, n).op(CONST, fill).op(BUILTIN, Builtin.STR_PAD_START.id()));
        assertEquals(800 / 16, pad.fuelUsed(), "800 chars made; the 2-char inputs are free");
        assertEquals(MemoryMeter.string(800), pad.memoryUsed());
        int from = asm.intConst(1600), to = asm.intConst(3200);
        Vm slice = measure(c -> c.op(CONST, s).op(CONST_INT, from).op(CONST_INT, to).op(BUILTIN, Builtin.STR_SLICE.id()));
        assertEquals(3200 / 16 + 1600 / 16, slice.fuelUsed(), "3,200 chars walked to the end, 1,600 copied");
        assertEquals(MemoryMeter.string(1600), slice.memoryUsed());
    }

    @Test
    void memoryExactlyEnoughPassesOneLessFails() {
        int ab = asm.str("ab"), n = asm.intConst(100_000), fill = asm.str("-"), width = asm.intConst(100_000);
        int d = asm.dec("1234567.891"), comma = asm.str(",");
        List<Consumer<CodeBuilder>> calls = List.of(
                c -> c.op(CONST, ab).op(CONST_INT, n).op(BUILTIN, Builtin.STR_REPEAT.id()),
                c -> c.op(CONST, ab).op(CONST_INT, width).op(CONST, fill).op(BUILTIN, Builtin.STR_PAD_END.id()),
                c -> c.op(CONST, d).op(SMALL_INT, 2).op(CONST, comma).op(BUILTIN, Builtin.DEC_FORMAT.id()));
        for (var body : calls) {
            int fn = asm.fn("alloc").result(Kind.R).code(c -> { body.accept(c); c.op(RET_R); });
            var measured = new Vm(asm.program(), new FakeHost(), UNLIMITED, ALL);
            returned(measured.invoke(fn));
            long need = measured.memoryUsed();
            var exact = new Vm(asm.program(), new FakeHost(), new VmLimits(need, Long.MAX_VALUE, 0, 8), ALL);
            returned(exact.invoke(fn));
            var short1 = new Vm(asm.program(), new FakeHost(), new VmLimits(need - 1, Long.MAX_VALUE, 0, 8), ALL);
            assertEquals(VmError.Kind.MEMORY_EXHAUSTED, failed(short1.invoke(fn)).kind());
            assertTrue(short1.memoryUsed() <= need - 1);
        }
    }

    @Test
    void aHugeRepeatOrWidthIsRefusedByTheMeterBeforeAnythingIsBuilt() {
        int ab = asm.str("ab"), huge = asm.intConst(Long.MAX_VALUE), fill = asm.str("xyz");
        for (var body : List.<Consumer<CodeBuilder>>of(
                c -> c.op(CONST, ab).op(CONST_INT, huge).op(BUILTIN, Builtin.STR_REPEAT.id()),
                c -> c.op(CONST, ab).op(CONST_INT, huge).op(CONST, fill).op(BUILTIN, Builtin.STR_PAD_START.id()))) {
            int fn = asm.fn("huge").result(Kind.R).code(c -> { body.accept(c); c.op(RET_R); });
            var vm = new Vm(asm.program(), new FakeHost(), VmLimits.DEFAULTS, ALL);
            VmError e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> failed(vm.invoke(fn)));
            assertEquals(VmError.Kind.MEMORY_EXHAUSTED, e.kind());
            assertEquals(0, vm.memoryUsed(), "nothing was charged, nothing built");
        }
    }
}

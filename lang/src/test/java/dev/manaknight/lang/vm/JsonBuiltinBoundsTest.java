package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.model.Kind;
import dev.manaknight.lang.model.Type;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 6: `Json` values are metered like every other value: building one (`TO_JSON`),
 * writing it as text, looking into it and reading text (`Json.parse`, through the host) pay fuel
 * for what they walk and charge the meter for what they make, before they make it; exactly the
 * fuel or memory a call needs passes, one unit or byte less fails. `T.fromJson` (`FROM_JSON`, issue
 * 15 item 2 of the follow-up) pays for the text it prints and hands the host, and charges what it answers.
 */
class JsonBuiltinBoundsTest extends AttackContract {
    /** 100,000 Ints as a list (a `List<Int>` and, the same value, a Json array). */
    private static final Values.ListValue INTS = new Values.ListValue(longs(100_000));
    /** An object of 100,000 members `k0`…, each 1. */
    private static final Values.MapValue WIDE = wide(100_000);

    private static Object[] longs(int n) {
        var xs = new Object[n];
        for (int i = 0; i < n; i++) xs[i] = (long) i;
        return xs;
    }

    private static Values.MapValue wide(int n) {
        var keys = new String[n];
        for (int i = 0; i < n; i++) keys[i] = "k" + i;
        var values = new Object[n];
        Arrays.fill(values, 1L);
        return new Values.MapValue(keys, values);
    }

    private static Consumer<CodeBuilder> call(Builtin b, int args, boolean pushesP, Consumer<CodeBuilder> extra) {
        return c -> {
            for (int i = 0; i < args; i++) c.op(LOAD_R, i);
            extra.accept(c);
            c.op(BUILTIN, b.id()).op(pushesP ? POP_P : POP_R);
        };
    }

    @Override
    List<Attack> attacks() {
        int listOfInt = asm.typeRef(Type.listOf(Type.INT));
        int missing = asm.str("absent");
        return List.of(
                attack("Json.from(List<Int>)", c -> c.op(LOAD_R, 0).op(TO_JSON, listOfInt).op(POP_R), INTS),
                attack("toString of a long string", call(Builtin.JSON_TO_TEXT, 1, false, c -> {}), A500K),
                attack("toString of an escaped string", call(Builtin.JSON_TO_TEXT, 1, false, c -> {}),
                        "\n\u0001".repeat(100_000)),
                attack("toString of a long array", call(Builtin.JSON_TO_TEXT, 1, false, c -> {}), INTS),
                attack("get on a wide object", call(Builtin.JSON_GET, 1, false, c -> c.op(CONST, missing)), WIDE),
                attack("parse", call(Builtin.JSON_PARSE, 1, false, c -> {}), A500K),
                attack("fromJson", c -> c.op(LOAD_R, 0).op(FROM_JSON, listOfInt).op(POP_R), INTS));
    }

    /** The host's reader is one call: its text is paid before it starts, so a cancel is seen after it. */
    @Override
    boolean ticksInside(Attack a) { return !a.name().equals("parse") && !a.name().equals("fromJson"); }

    /** `Json.parse` here answers a tree the size the text could hold, so the VM's charges for it are what is tested. */
    private FakeHost host() {
        var h = new FakeHost();
        h.json = text -> new Values.Ok(INTS);
        h.decoded = text -> new Values.Ok(INTS);
        return h;
    }

    @Test
    void exactlyTheFuelAndMemoryACallNeedsPassOneLessFails() {
        for (Attack a : attacks()) {
            int fn = once(a);
            var measured = new Vm(asm.program(), host(), UNLIMITED, ALL);
            returned(measured.invoke(fn, a.args()));
            long fuel = measured.fuelUsed(), memory = measured.memoryUsed();
            assertTrue(fuel > 4L * Budget.TICK, a.name() + " is long: " + fuel);
            returned(new Vm(asm.program(), host(), new VmLimits(memory, fuel, 0, 8), ALL).invoke(fn, a.args()));
            var lessFuel = new Vm(asm.program(), host(), new VmLimits(memory, fuel - 1, 0, 8), ALL);
            assertEquals(VmError.Kind.FUEL_EXHAUSTED, failed(lessFuel.invoke(fn, a.args())).kind(), a.name());
            var lessMemory = new Vm(asm.program(), host(), new VmLimits(memory - 1, fuel, 0, 8), ALL);
            assertEquals(VmError.Kind.MEMORY_EXHAUSTED, failed(lessMemory.invoke(fn, a.args())).kind(), a.name());
        }
    }

    /**
     * The views (`get(i)`, `asText`, …, `isNull`) make an Option each, charged; `asInt` of a long
     * Decimal pays for its digits: at the fuel and memory they need they pass, one less fails.
     */
    @Test
    void theViewsPayAndChargeWhatTheyMake() {
        int fn = asm.fn("views").params("RRRRRRR").result(Kind.R).code(c -> c
                .op(LOAD_R, 0).op(SMALL_INT, 0).op(BUILTIN, Builtin.JSON_AT.id()).op(POP_R)
                .op(LOAD_R, 1).op(BUILTIN, Builtin.JSON_AS_TEXT.id()).op(POP_R)
                .op(LOAD_R, 2).op(BUILTIN, Builtin.JSON_AS_INT.id()).op(POP_R)
                .op(LOAD_R, 3).op(BUILTIN, Builtin.JSON_AS_DECIMAL.id()).op(POP_R)
                .op(LOAD_R, 4).op(BUILTIN, Builtin.JSON_AS_BOOL.id()).op(POP_R)
                .op(LOAD_R, 0).op(BUILTIN, Builtin.JSON_AS_LIST.id()).op(POP_R)
                .op(LOAD_R, 5).op(BUILTIN, Builtin.JSON_AS_MAP.id()).op(POP_R)
                .op(LOAD_R, 6).op(BUILTIN, Builtin.JSON_IS_NULL.id()).op(POP_P)
                .op(UNIT).op(RET_R));
        Object[] args = {INTS, "s", new java.math.BigDecimal("1" + "0".repeat(5_000) + ".0"), 7L, true, WIDE,
                Values.JsonNull.NULL};
        var measured = new Vm(asm.program(), host(), UNLIMITED, ALL);
        returned(measured.invoke(fn, args));
        long fuel = measured.fuelUsed(), memory = measured.memoryUsed();
        assertTrue(fuel > 0, "asInt of 5,000 digits pays: " + fuel);
        returned(new Vm(asm.program(), host(), new VmLimits(memory, fuel, 0, 8), ALL).invoke(fn, args));
        assertEquals(VmError.Kind.FUEL_EXHAUSTED,
                failed(new Vm(asm.program(), host(), new VmLimits(memory, fuel - 1, 0, 8), ALL).invoke(fn, args)).kind());
        assertEquals(VmError.Kind.MEMORY_EXHAUSTED,
                failed(new Vm(asm.program(), host(), new VmLimits(memory - 1, fuel, 0, 8), ALL).invoke(fn, args)).kind());
    }

    /** `T.fromJson` charges the value the host answers, however small the Json it was given; an `err` is answered as is. */
    @Test
    void fromJsonChargesWhatTheHostAnswers() {
        int listOfInt = asm.typeRef(Type.listOf(Type.INT));
        int fn = asm.fn("decode").params("R").result(Kind.R).code(c -> c.op(LOAD_R, 0).op(FROM_JSON, listOfInt).op(RET_R));
        var vm = new Vm(asm.program(), host(), UNLIMITED, ALL);
        assertEquals(new Values.Ok(INTS), returned(vm.invoke(fn, 1L)));
        assertTrue(vm.memoryUsed() >= MemoryMeter.deep(new Values.Ok(INTS)), "charged: " + vm.memoryUsed());
        var failing = new FakeHost();
        var refused = new Vm(asm.program(), failing, UNLIMITED, ALL);
        assertEquals(new Values.Err("no JSON decoder in this test"), returned(refused.invoke(fn, 1L)));
        assertEquals(List.of("decodeJson List<Int> 1"), failing.calls);
    }

    /** The text `toString` makes is charged at its exact length: `"\n"` escaped is 4 chars, a control char 8. */
    @Test
    void theTextIsChargedAtItsEscapedLength() {
        int fn = asm.fn("t").params("R").result(Kind.R).code(c -> c.op(LOAD_R, 0).op(BUILTIN, Builtin.JSON_TO_TEXT.id())
                .op(RET_R));
        var vm = new Vm(asm.program(), host(), UNLIMITED, ALL);
        assertEquals("\"\\n\\u0001\"", returned(vm.invoke(fn, "\n\u0001")));
        var plain = new Vm(asm.program(), host(), UNLIMITED, ALL);
        returned(plain.invoke(fn, "ab"));
        assertEquals(6 * 2, vm.memoryUsed() - plain.memoryUsed()); // 10 chars against 4, two bytes each
    }
}

package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Kind;
import dev.manaknight.lang.model.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a password hash costs real CPU in the host, outside the VM's CPU clock, so the VM
 * charges its fuel ({@link EffectOp#PASSWORD_FUEL}) before asking the host: exactly that fuel
 * passes, one unit less fails without the host doing any of the work, and a cancelled run stops
 * there too (the charge crosses a tick, which looks at the cancel flag).
 */
class PasswordFuelTest {
    private final Asm asm = new Asm();
    private final FakeHost host = new FakeHost();
    private final int grant = Capability.PASSWORD.bit();

    private int hashOnce() {
        int hash = asm.effect(Capability.PASSWORD, "hash", 1, Type.STRING);
        int pw = asm.str("correct horse");
        return asm.fn("h").result(Kind.R).code(c -> c.line(2).op(CONST, pw).op(EFFECT, hash).op(RET_R));
    }

    @Test
    void exactlyItsFuelPassesOneLessFailsBeforeTheHostWorks() {
        int fn = hashOnce();
        host.answer = (op, args) -> "$2b$10$hash";
        var exact = new Vm(asm.program(), host, new VmLimits(1 << 20, EffectOp.PASSWORD_FUEL, 0, 8), grant);
        assertEquals("$2b$10$hash", returned(exact.invoke(fn)));
        assertEquals(EffectOp.PASSWORD_FUEL, exact.fuelUsed());
        assertEquals(List.of("password.hash[correct horse]"), host.calls);

        host.calls.clear();
        var less = new Vm(asm.program(), host, new VmLimits(1 << 20, EffectOp.PASSWORD_FUEL - 1, 0, 8), grant);
        assertEquals(VmError.Kind.FUEL_EXHAUSTED, failed(less.invoke(fn)).kind());
        assertEquals(List.of(), host.calls, "the host was never asked");
    }

    @Test
    void aCancelledRunStopsBeforeTheHash() {
        int fn = hashOnce();
        var vm = new Vm(asm.program(), host, VmTesting.ROOMY, grant);
        vm.cancel();
        assertEquals(VmError.Kind.TIMEOUT, failed(vm.invoke(fn)).kind());
        assertEquals(List.of(), host.calls);
    }

    @Test
    void otherEffectsPayNoFuel() {
        for (EffectOp op : EffectOp.BUILT_IN)
            assertEquals(op.capability() == Capability.PASSWORD ? EffectOp.PASSWORD_FUEL : 0, op.fuel(), op.qualifiedName());
        assertTrue(EffectOp.PASSWORD_FUEL >= 65_536, "64 units per bcrypt round at cost 10");
    }
}

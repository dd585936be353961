package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.model.Kind;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** A VM is per request, so making one must stay small: a guard against copying program tables into it. */
class VmCostTest {
    /** vm.md's estimate is ~720 bytes; this leaves room for JVM layout differences, not for tables. */
    private static final long MAX_BYTES_PER_VM = 1024;

    @Test
    void creatingAVmAllocatesUnderOneKilobyte() {
        var asm = new Asm();
        for (int i = 0; i < 200; i++) asm.str("constant " + i); // a program whose tables are far bigger than a VM
        asm.fn("f").result(Kind.R).code(c -> c.op(UNIT).op(RET_R));
        Program program = asm.program();
        Host host = new FakeHost();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        int n = 1000;
        Vm[] keep = new Vm[n]; // kept, so no allocation is optimised away
        keep[0] = new Vm(program, host, VmLimits.DEFAULTS, 0);
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < n; i++) keep[i] = new Vm(program, host, VmLimits.DEFAULTS, 0);
        long perVm = (threads.getThreadAllocatedBytes(id) - before) / n;
        assertTrue(perVm <= MAX_BYTES_PER_VM, "a new Vm allocates " + perVm + " bytes");
        assertNotNull(keep[n - 1]);
    }
}

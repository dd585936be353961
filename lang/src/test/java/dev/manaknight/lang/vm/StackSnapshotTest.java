package dev.manaknight.lang.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.source.SourceFile;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A running VM's stack as another thread sees it (the slow log), and the CPU time a run reports. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StackSnapshotTest {
    private static final String APP = """
            type User { id: Int }
            db { findUser(id: Int): Option<User> = "SELECT id FROM users WHERE id = :id" }
            fn spin(n: Int): Int {
              var t = 0
              for i in 0..n {
                t = t + i
              }
              t
            }
            api GET /spin/:n {
              respond json(spin(n))
            }
            api GET /users/:id {
              uses { db }
              match db.findUser(id) {
                some(u) -> respond json(u)
                none -> respond status 404
              }
            }
            """;

    private static final VmLimits BIG = new VmLimits(64L << 20, Long.MAX_VALUE / 2, 0, 256);

    private static Program program() throws Exception {
        return Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", APP))));
    }

    private static int fn(Program p, String name) {
        var fns = p.module().functions();
        for (int i = 0; i < fns.size(); i++) if (fns.get(i).name().equals(name)) return i;
        throw new AssertionError(name);
    }

    @Test void aComputingVmPublishesItsStackAtItsNextTick() throws Exception {
        Program p = program();
        var vm = new Vm(p, new FakeHost(), BIG, VmTesting.ALL);
        var outcome = CompletableFuture.supplyAsync(() -> vm.invoke(fn(p, "GET /spin/:n"), 1L << 50));
        List<VmError.StackFrame> stack = null;
        while (stack == null) {
            stack = vm.stackNow();
            Thread.sleep(1);
        }
        vm.cancel();
        assertEquals(new VmError.StackFrame("spin", "app.mnk", 6), stack.get(0), stack.toString());
        assertEquals(new VmError.StackFrame("GET /spin/:n", "app.mnk", 11), stack.get(1), stack.toString());
        assertEquals(2, stack.size());
        var failed = assertInstanceOf(Outcome.Failed.class, outcome.get(10, TimeUnit.SECONDS));
        assertEquals(VmError.Kind.TIMEOUT, failed.error().kind());
    }

    @Test void aVmWaitingInAQueryShowsItsStackAtOnce() throws Exception {
        Program p = program();
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Host host = new Host() {
            @Override public Object effect(EffectOp op, Object[] args) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Values.None.NONE;
            }
        };
        var vm = new Vm(p, host, BIG, VmTesting.ALL);
        assertNull(vm.stackNow(), "not running yet: nothing to show");
        var outcome = CompletableFuture.supplyAsync(() -> vm.invoke(fn(p, "GET /users/:id"), 7L));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        List<VmError.StackFrame> stack = vm.stackNow();
        assertNotNull(stack, "a VM blocked in a host call needs no tick to show its stack");
        assertEquals(List.of(new VmError.StackFrame("GET /users/:id", "app.mnk", 15)), stack);
        release.countDown();
        assertInstanceOf(Outcome.Responded.class, outcome.get(10, TimeUnit.SECONDS));
    }

    @Test void cpuTimeIsMeasuredFromTheFirstTick() throws Exception {
        Program p = program();
        var limits = new VmLimits(64L << 20, 1L << 40, 60_000_000_000L, 256); // a CPU limit: measuring on
        var busy = new Vm(p, new FakeHost(), limits, VmTesting.ALL);
        assertInstanceOf(Outcome.Responded.class, busy.invoke(fn(p, "GET /spin/:n"), 2_000_000L));
        assertTrue(busy.cpuNanos() > 0, "a run of a million ticks' worth of loop turns: " + busy.cpuNanos());
        var brief = new Vm(p, new FakeHost(), limits, VmTesting.ALL);
        assertInstanceOf(Outcome.Responded.class, brief.invoke(fn(p, "GET /spin/:n"), 3L));
        assertEquals(0, brief.cpuNanos(), "too short to reach a tick: not measured");
    }
}

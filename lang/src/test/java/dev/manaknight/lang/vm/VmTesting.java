package dev.manaknight.lang.vm;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.model.Kind;
import java.util.function.Consumer;

/** Shared helpers for VM tests: run one hand-built function and take its outcome apart. */
final class VmTesting {
    private VmTesting() {}

    /** Generous limits for tests that are not about limits (no CPU limit: CI machines are slow). */
    static final VmLimits ROOMY = new VmLimits(64L << 20, 1_000_000_000L, 0, 256);
    /** Every capability. */
    static final int ALL = 0xF;

    static Outcome run(Asm asm, int fn, Object... args) {
        return new Vm(asm.program(), new FakeHost(), ROOMY, ALL).invoke(fn, args);
    }

    /** Builds a function of the body plus RET_P, runs it, returns the P result. */
    static long prim(Asm asm, Consumer<CodeBuilder> body) {
        int fn = asm.fn("main").result(Kind.P).code(c -> { body.accept(c); c.op(Opcode.RET_P); });
        return (Long) returned(run(asm, fn));
    }

    /** Builds a function of the body plus RET_R, runs it, returns the R result. */
    static Object ref(Asm asm, Consumer<CodeBuilder> body) {
        int fn = asm.fn("main").result(Kind.R).code(c -> { body.accept(c); c.op(Opcode.RET_R); });
        return returned(run(asm, fn));
    }

    static double flt(Asm asm, Consumer<CodeBuilder> body) {
        return Double.longBitsToDouble(prim(asm, body));
    }

    /** Builds a function of the body (which must not return), runs it, returns its error. */
    static VmError error(Asm asm, Consumer<CodeBuilder> body) {
        int fn = asm.fn("main").result(Kind.R).code(c -> { body.accept(c); c.op(Opcode.UNIT).op(Opcode.RET_R); });
        return failed(run(asm, fn));
    }

    static Object returned(Outcome o) {
        if (o instanceof Outcome.Failed f) throw new AssertionError("failed: " + f.error().render());
        return assertInstanceOf(Outcome.Returned.class, o).value();
    }

    static VmError failed(Outcome o) {
        return assertInstanceOf(Outcome.Failed.class, o, () -> "expected a failure, got " + o).error();
    }

    static Values.ListValue list(Object... items) { return new Values.ListValue(items); }
}

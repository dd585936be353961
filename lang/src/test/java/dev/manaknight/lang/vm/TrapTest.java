package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.model.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failures become data: kind, message and the Manaknight stack; nothing escapes as a Java exception. */
class TrapTest {
    private final Asm asm = new Asm();

    @Test
    void stackTraceNamesFunctionFileAndLineInnermostFirst() {
        int divide = asm.fn("divide").params("PP").result(Kind.P).code(c -> c
                .line(11).op(LOAD_P, 0)
                .line(12).op(LOAD_P, 1).op(DIV_INT)
                .line(13).op(RET_P));
        int middle = asm.fn("middle").params("P").result(Kind.P).code(c -> c
                .line(30).op(SMALL_INT, 10)
                .line(31).op(LOAD_P, 0).op(CALL, divide).op(RET_P));
        int handler = asm.fn("GET /ratio/:n").result(Kind.P).code(c -> c
                .line(1).op(NOP)
                .line(5).op(SMALL_INT, 0).op(CALL, middle)
                .line(6).op(RET_P));
        VmError e = failed(run(asm, handler));
        assertEquals(VmError.Kind.DIVISION_BY_ZERO, e.kind());
        assertEquals(List.of(
                new VmError.StackFrame("divide", "test.mnk", 12),
                new VmError.StackFrame("middle", "test.mnk", 31),
                new VmError.StackFrame("GET /ratio/:n", "test.mnk", 5)), e.stack());
        assertEquals("""
                division-by-zero: division by zero: 10 / 0
                  at divide (test.mnk:12)
                  at middle (test.mnk:31)
                  at GET /ratio/:n (test.mnk:5)""", e.render());
    }

    @Test
    void aFailureAfterReturnsReportsOnlyTheLiveFrames() {
        int ok = asm.fn("ok").result(Kind.P).code(c -> c.line(2).op(SMALL_INT, 1).op(RET_P));
        int k = asm.str("boom");
        int main = asm.fn("main").result(Kind.R).code(c -> c.line(8).op(CALL, ok).op(POP_P).line(9).op(FAIL, k));
        VmError e = failed(run(asm, main));
        assertEquals(List.of(new VmError.StackFrame("main", "test.mnk", 9)), e.stack());
    }

    @Test
    void malformedCodeIsAnInternalErrorNotAJavaException() {
        int s = asm.str("not an int");
        // UNBOX_INT of a String: the verifier would refuse this; trusted, it must still not throw
        int cast = asm.fn("cast").result(Kind.P).code(c -> c.line(4).op(CONST, s).op(UNBOX_INT).op(RET_P));
        VmError e = failed(run(asm, cast));
        assertEquals(VmError.Kind.INTERNAL, e.kind());
        assertTrue(e.message().contains("ClassCastException"), e.message());
        assertEquals(4, e.stack().getFirst().line());
        // a byte that is no opcode
        int junk = asm.fn("junk").result(Kind.P).code(c -> { });
        var m = asm.module();
        var f = m.functions().get(junk);
        var patched = new dev.manaknight.lang.bytecode.Function(f.name(), f.file(), f.params(), f.result(), f.locals(), f.maxStack(),
                0, new byte[] {(byte) 250}, f.lines());
        var functions = new java.util.ArrayList<>(m.functions());
        functions.set(junk, patched);
        var program = Program.trusted(new dev.manaknight.lang.bytecode.Module(m.constants(), m.types(), m.typeRefs(), functions,
                m.effects(), m.routes(), m.tests()));
        VmError bad = failed(new Vm(program, new FakeHost(), ROOMY, 0).invoke(junk));
        assertEquals(VmError.Kind.INTERNAL, bad.kind());
        assertEquals("unknown opcode 250", bad.message());
        // running off the end of the code
        assertEquals(VmError.Kind.INTERNAL, failed(run(asm, junk)).kind());
    }

    @Test
    void everyErrorKindHasADistinctSlug() {
        var slugs = new java.util.HashSet<String>();
        for (VmError.Kind k : VmError.Kind.values()) assertTrue(slugs.add(k.slug), k.slug);
    }
}

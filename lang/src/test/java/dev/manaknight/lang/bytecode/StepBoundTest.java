package dev.manaknight.lang.bytecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.model.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepBoundTest {
    private static Module compile(String text) throws Exception {
        return Compiler.compile(List.of(new SourceFile("t.mnk", text)));
    }

    private static int fn(Module m, String name) {
        for (int i = 0; i < m.functions().size(); i++) if (m.functions().get(i).name().equals(name)) return i;
        throw new AssertionError("no function " + name + " in " + m.functions().stream().map(Function::name).toList());
    }

    /** Instructions in a function's code, each counted once. */
    private static long instructions(Function f) {
        long n = 0;
        for (int pc = 0; pc < f.code().length; pc += Opcode.of(f.code()[pc] & 0xFF).size) n++;
        return n;
    }

    @Test
    void straightLineHandlerCountsEachInstructionOnce() throws Exception {
        Module m = compile("""
                api GET /hello/:name {
                  if name == "x" { respond status 404 }
                  respond text("hello ${name.upper()}")
                }
                """);
        int h = fn(m, "GET /hello/:name");
        assertEquals(instructions(m.functions().get(h)), StepBound.of(m)[h]);
    }

    @Test
    void callsAddTheCalleesBoundAtEachSite() throws Exception {
        Module m = compile("""
                fn twice(x: Int): Int { x * 2 }
                fn four(x: Int): Int { twice(twice(x)) }
                api GET /n/:x { respond json(four(x)) }
                """);
        long[] b = StepBound.of(m);
        int twice = fn(m, "twice"), four = fn(m, "four"), h = fn(m, "GET /n/:x");
        assertEquals(instructions(m.functions().get(twice)), b[twice]);
        assertEquals(instructions(m.functions().get(four)) + 2 * b[twice], b[four]);
        assertEquals(instructions(m.functions().get(h)) + b[four], b[h]);
    }

    @Test
    void loopsRecursionAndEffectsHaveNoBound() throws Exception {
        Module m = compile("""
                type User { id: Int, name: String }
                db { findUser(id: Int): Option<User> = "SELECT id, name FROM users WHERE id = :id" }
                fn fact(n: Int): Int { if n <= 1 { 1 } else { n * fact(n - 1) } }
                fn even(n: Int): Bool { if n == 0 { true } else { odd(n - 1) } }
                fn odd(n: Int): Bool { if n == 0 { false } else { even(n - 1) } }
                fn doubled(xs: List<Int>): List<Int> { xs.map(x -> x * 2) }
                fn viaFact(n: Int): Int { fact(n) + 1 }
                api GET /u/:id {
                  uses { db }
                  match db.findUser(id) {
                    some(u) -> respond json(u)
                    none -> respond status 404
                  }
                }
                """);
        long[] b = StepBound.of(m);
        for (String name : List.of("fact", "even", "odd", "doubled", "viaFact", "GET /u/:id"))
            assertEquals(StepBound.UNBOUNDED, b[fn(m, name)], name);
    }

    @Test
    void aLongCallChainNeedsNoDeepJavaStack() {
        int n = 20_000; // each calls the next; the last returns
        var fns = new ArrayList<Function>();
        for (int i = 0; i < n; i++) {
            byte[] code = i + 1 < n
                    ? new byte[] {Opcode.CALL.code(), (byte) ((i + 1) >> 8), (byte) (i + 1), Opcode.RET_P.code()}
                    : new byte[] {Opcode.TRUE.code(), Opcode.RET_P.code()};
            fns.add(new Function("f" + i, null, List.of(), Type.INT, 0, 1, 0, code, new int[0]));
        }
        Module m = new Module(List.of(), List.of(), List.of(), fns, List.of(), List.of(), List.of());
        long[] b = StepBound.of(m);
        assertEquals(2L * n, b[0]);
        assertEquals(2, b[n - 1]);
    }

    @Test
    void malformedCodeIsUnboundedNotAnException() {
        byte[] badCallee = {Opcode.CALL.code(), (byte) 0x7F, (byte) 0xFF, Opcode.RET_P.code()};
        byte[] truncated = {Opcode.CALL.code(), 0};
        byte[] notAnOpcode = {(byte) 0xFE};
        var fns = List.of(
                new Function("a", null, List.of(), Type.INT, 0, 1, 0, badCallee, new int[0]),
                new Function("b", null, List.of(), Type.INT, 0, 1, 0, truncated, new int[0]),
                new Function("c", null, List.of(), Type.INT, 0, 1, 0, notAnOpcode, new int[0]));
        long[] b = StepBound.of(new Module(List.of(), List.of(), List.of(), fns, List.of(), List.of(), List.of()));
        for (long x : b) assertEquals(StepBound.UNBOUNDED, x);
        assertTrue(b.length == 3);
    }
}

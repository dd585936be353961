package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.model.Kind;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: the crypto, encoding, regex, time and Secret builtins are metered like the others: fuel for
 * the text they walk, hash and match as they go (a long call meets the budget's ticks, so a
 * cancel stops it inside the call), memory for what they make, charged before it is made; exactly
 * the fuel or memory a call needs passes, one unit or byte less fails.
 */
class StdlibBuiltinBoundsTest extends AttackContract {
    /** 400,000 chars of base64 (300,000 bytes of `a`s). */
    private static final String B64 = "YWFh".repeat(100_000);

    /** `BUILTIN b` on the arguments 0.. (R), then drops what it pushed (`pushesP`: the P lane). */
    private static Consumer<CodeBuilder> call(Builtin b, int args, boolean pushesP, Consumer<CodeBuilder> extra) {
        return c -> {
            for (int i = 0; i < args; i++) c.op(LOAD_R, i);
            extra.accept(c);
            c.op(BUILTIN, b.id()).op(pushesP ? POP_P : POP_R);
        };
    }

    private static Consumer<CodeBuilder> call(Builtin b, int args, boolean pushesP) { return call(b, args, pushesP, c -> {}); }

    @Override
    List<Attack> attacks() {
        int word = asm.str("\\w+"), star = asm.str("(a|aa)*b"), dash = asm.str("-"), anything = asm.str("(?:a*)*c");
        int groups = asm.str("(?<head>a)(a*)(x)?");
        return List.of(
                attack("sha256", call(Builtin.STR_SHA256, 1, false), A500K),
                attack("sha512", call(Builtin.STR_SHA512, 1, false), A500K),
                attack("hmacSha256", call(Builtin.STR_HMAC_SHA256, 2, false), A500K, "key"),
                attack("constantTimeEquals", call(Builtin.STR_EQUALS_CONSTANT_TIME, 2, true), A500K, A500K),
                // issue 15 item 2: a Secret's two uses pay as their String twins do
                attack("Secret.hmacSha256", call(Builtin.SECRET_HMAC_SHA256, 2, false), Secret.of("key"), A500K),
                attack("Secret.constantTimeEquals", call(Builtin.SECRET_EQUALS, 2, true), Secret.of(A500K), A500K),
                attack("base64", call(Builtin.STR_BASE64, 1, false), A500K),
                attack("base64url", call(Builtin.STR_BASE64URL, 1, false), A500K),
                attack("hex", call(Builtin.STR_HEX, 1, false), A500K),
                attack("fromBase64", call(Builtin.STR_FROM_BASE64, 1, false), B64),
                attack("fromHex", call(Builtin.STR_FROM_HEX, 1, false), "61".repeat(250_000)),
                attack("matches", call(Builtin.RE_MATCHES, 1, true, c -> c.op(CONST, star)), A500K),
                attack("find", call(Builtin.RE_FIND, 1, false, c -> c.op(CONST, anything)), A500K),
                attack("findAll", call(Builtin.RE_FIND_ALL, 1, false, c -> c.op(CONST, word)), "ab cd ".repeat(80_000)),
                attack("replaceAll", call(Builtin.RE_REPLACE_ALL, 1, false, c -> c.op(CONST, word).op(CONST, dash)),
                        "ab cd ".repeat(80_000)),
                // issue 15 item 5: captures pays for the slots it copies and the groups' text and map
                attack("captures", call(Builtin.RE_CAPTURES, 1, false, c -> c.op(CONST, groups)), A500K));
    }

    @Test
    void exactlyTheFuelAndMemoryACallNeedsPassOneLessFails() {
        for (Attack a : attacks()) {
            int fn = once(a);
            var measured = new Vm(asm.program(), new FakeHost(), UNLIMITED, ALL);
            returned(measured.invoke(fn, a.args()));
            long fuel = measured.fuelUsed(), memory = measured.memoryUsed();
            returned(new Vm(asm.program(), new FakeHost(), new VmLimits(memory, fuel, 0, 8), ALL).invoke(fn, a.args()));
            var lessFuel = new Vm(asm.program(), new FakeHost(), new VmLimits(memory, fuel - 1, 0, 8), ALL);
            assertEquals(VmError.Kind.FUEL_EXHAUSTED, failed(lessFuel.invoke(fn, a.args())).kind(), a.name());
            var lessMemory = new Vm(asm.program(), new FakeHost(), new VmLimits(memory - 1, fuel, 0, 8), ALL);
            assertEquals(VmError.Kind.MEMORY_EXHAUSTED, failed(lessMemory.invoke(fn, a.args())).kind(), a.name());
        }
    }

    /** Parsing an Instant pays for its text; each Instant or Duration made is charged to the meter, exactly. */
    @Test
    void timeBuiltinsPayTheirTextAndChargeWhatTheyMake() {
        int text = asm.str("2026-01-02T03:04:05.123456789+02:00"); // 35 chars: 2 units
        int ninety = asm.intConst(90), minute = asm.intConst(60_000);
        int fn = asm.fn("t").result(Kind.R).code(c -> c.op(CONST, text).op(BUILTIN, Builtin.STR_TO_INSTANT.id())
                .op(CONST_INT, ninety).op(CONST_INT, minute).op(BUILTIN, Builtin.DURATION_OF.id())
                .op(POP_R).op(RET_R));
        var measured = new Vm(asm.program(), new FakeHost(), UNLIMITED, ALL);
        var some = assertInstanceOf(Values.Some.class, returned(measured.invoke(fn)));
        assertEquals(java.time.Instant.parse("2026-01-02T01:04:05.123Z"), some.value());
        assertEquals(2, measured.fuelUsed());
        assertEquals(Times.SIZE + MemoryMeter.BOX + Times.SIZE, measured.memoryUsed());
        returned(new Vm(asm.program(), new FakeHost(), new VmLimits(measured.memoryUsed(), 2, 0, 8), ALL).invoke(fn));
        var lessFuel = new Vm(asm.program(), new FakeHost(), new VmLimits(measured.memoryUsed(), 1, 0, 8), ALL);
        assertEquals(VmError.Kind.FUEL_EXHAUSTED, failed(lessFuel.invoke(fn)).kind());
        assertEquals(VmError.Kind.MEMORY_EXHAUSTED, failed(new Vm(asm.program(), new FakeHost(),
                new VmLimits(measured.memoryUsed() - 1, 2, 0, 8), ALL).invoke(fn)).kind());
    }

    /**
     * Issue 15: captures stay linear too. `(a*)*b` with its group on 100,000 `a`s (no `b`: every
     * start is tried) backtracks forever in Perl-style engines; here 2 × the text takes about 2 × the fuel.
     */
    @Test
    void capturesOfACatastrophicPatternAreLinear() {
        linear("(a*)*b", Builtin.RE_CAPTURES, Kind.R, 100_000, Values.None.NONE, Duration.ofSeconds(20));
    }

    /** A pattern that backtracking engines take exponential time on is linear here: 2 × the text takes about 2 × the fuel. */
    @Test
    void aCatastrophicPatternForBacktrackingIsLinear() {
        linear("(a|a)*(a|a)*(a|a)*b", Builtin.RE_MATCHES, Kind.P, 20_000, 0L, Duration.ofSeconds(5));
    }

    /** `b` with `pattern` on n then 2n `a`s answers `expected` in time, the second for about twice the fuel. */
    private void linear(String pattern, Builtin b, Kind result, int n, Object expected, Duration timeout) {
        int p = asm.str(pattern);
        int fn = asm.fn("m").params("R").result(result).code(c -> c.op(LOAD_R, 0).op(CONST, p)
                .op(BUILTIN, b.id()).op(result == Kind.P ? RET_P : RET_R));
        long[] fuel = new long[2];
        for (int i = 0; i < 2; i++) {
            var vm = new Vm(asm.program(), new FakeHost(), UNLIMITED, ALL);
            String text = "a".repeat(n * (i + 1));
            assertEquals(expected, returned(assertTimeoutPreemptively(timeout, () -> vm.invoke(fn, text))));
            fuel[i] = vm.fuelUsed();
        }
        assertTrue(fuel[1] > 19 * fuel[0] / 10 && fuel[1] < 21 * fuel[0] / 10, fuel[0] + " then " + fuel[1]);
    }
}

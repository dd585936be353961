package dev.manaknight.lang.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.manaknight.lang.bytecode.Disassembler;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.ModuleFormatException;
import dev.manaknight.lang.bytecode.ModuleReader;
import dev.manaknight.lang.bytecode.ModuleWriter;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.bytecode.SampleModules;
import dev.manaknight.lang.model.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Deterministic fuzzing of the reader and the verifier: whatever the bytes, reading then
 * verifying ends in a clean module, a {@link ModuleFormatException} or a non-empty error list —
 * never another exception, never a hang.
 */
class ModuleFuzzTest {
    private static final int BYTE_MUTATIONS = 10_000;
    private static final int CODE_MUTATIONS = 6_000;
    private static final int TABLE_MUTATIONS = 1_500;
    /** Every n-th mutated module is also disassembled (it must not throw either); all of them would double the run time. */
    private static final int DISASSEMBLE_EVERY = 4;
    private static final long SEED = 0x4D4B42L;

    private static List<Module> validModules() {
        return List.of(SampleModules.seed(), SampleModules.kitchenSink(), keeping(SampleModules.seed()));
    }

    /** Issue 14: the seed with its 404 answered by `RESPOND_KEEP`, so mutations reach that opcode too. */
    static Module keeping(Module seed) {
        Function h = seed.functions().get(0);
        byte[] code = h.code().clone();
        assertEquals(Opcode.RESPOND.code(), code[code.length - 2], "the seed handler ends with RESPOND 0");
        code[code.length - 2] = Opcode.RESPOND_KEEP.code();
        var functions = new ArrayList<>(seed.functions());
        functions.set(0, new Function(h.name(), h.file(), h.params(), h.result(), h.locals(), h.maxStack(), h.capabilities(),
                code, h.lines()));
        Module m = new Module(seed.constants(), seed.types(), seed.typeRefs(), functions, seed.effects(), seed.routes(),
                seed.tests());
        assertEquals(List.of(), Verifier.verify(m), "the keeping seed verifies");
        return m;
    }

    /** Counts of each allowed outcome, so the test can show the mutations reach every stage. */
    private static final class Outcomes {
        int clean, formatErrors, verifyErrors;
    }

    @Test
    void byteMutationsEndInAnAllowedOutcome() {
        var outcomes = new Outcomes();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            List<byte[]> bases = new ArrayList<>();
            for (Module m : validModules()) bases.add(ModuleWriter.toBytes(m));
            bases.add(ModuleWriter.toBytes(SampleModules.everyShape()));
            var random = new Random(SEED);
            for (int i = 0; i < BYTE_MUTATIONS; i++) {
                byte[] base = bases.get(i % bases.size());
                byte[] bytes = base;
                int rounds = 1 + random.nextInt(3);
                for (int r = 0; r < rounds; r++) bytes = mutate(bytes, random);
                readAndVerify(bytes, i, outcomes);
            }
        });
        assertTrue(outcomes.clean > 0, "some mutations keep a valid module (e.g. a changed constant)");
        assertTrue(outcomes.formatErrors > 0, "some mutations break the format");
        assertTrue(outcomes.verifyErrors > 0, "some mutations get past the reader and are refused by the verifier");
    }

    @Test
    void codeMutationsEndInAnAllowedOutcome() {
        var outcomes = new Outcomes();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            var random = new Random(SEED + 1);
            List<Module> bases = validModules();
            for (int i = 0; i < CODE_MUTATIONS; i++) {
                Module base = bases.get(i % bases.size());
                int target = random.nextInt(base.functions().size());
                Function f = base.functions().get(target);
                byte[] code = f.code();
                int rounds = 1 + random.nextInt(3);
                for (int r = 0; r < rounds; r++) code = mutateCode(code, random);
                int locals = random.nextInt(8) == 0 ? random.nextInt(6) : f.locals();
                int maxStack = random.nextInt(8) == 0 ? random.nextInt(6) : f.maxStack();
                List<Type> params = random.nextInt(16) == 0 ? List.of(Type.STRING) : f.params();
                Type result = random.nextInt(16) == 0 ? Type.INT : f.result();
                var functions = new ArrayList<>(base.functions());
                functions.set(target, new Function(f.name(), f.file(), params, result, locals, maxStack, f.capabilities(), code,
                        code.length == f.code().length ? f.lines() : new int[0]));
                Module m = new Module(base.constants(), base.types(), base.typeRefs(), functions, base.effects(), base.routes(),
                        base.tests());
                List<VerifyError> errors;
                try {
                    errors = Verifier.verify(m);
                    if (i % DISASSEMBLE_EVERY == 0) Disassembler.disassemble(m, SampleModules::source);
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError("code mutation " + i + " of F" + target + " (" + HexFormat.of().formatHex(code)
                            + ") threw " + e, e);
                }
                if (errors.isEmpty()) outcomes.clean++;
                else outcomes.verifyErrors++;
                assertEquals(errors, Verifier.verify(m), "the verifier is deterministic");
            }
        });
        assertTrue(outcomes.clean > 0, "some code mutations are harmless");
        assertTrue(outcomes.verifyErrors > outcomes.clean, "most code mutations are refused");
    }

    @Test
    void tableMutationsNeverThrow() {
        // the code stays, the tables around it change: entries dropped, shuffled, indices and bit sets replaced
        var random = new Random(SEED + 2);
        int refused = 0;
        for (int i = 0; i < TABLE_MUTATIONS; i++) {
            Module base = i % 3 == 0 ? SampleModules.everyShape() : i % 3 == 1 ? SampleModules.seed() : SampleModules.kitchenSink();
            var constants = new ArrayList<>(base.constants());
            var types = new ArrayList<>(base.types());
            var functions = new ArrayList<>(base.functions());
            var effects = new ArrayList<>(base.effects());
            var routes = new ArrayList<>(base.routes());
            var tests = new ArrayList<>(base.tests());
            switch (random.nextInt(7)) {
                case 0 -> { if (!constants.isEmpty()) constants.remove(random.nextInt(constants.size())); }
                case 1 -> java.util.Collections.shuffle(constants, random);
                case 2 -> { if (!types.isEmpty()) types.remove(random.nextInt(types.size())); }
                case 3 -> { if (!effects.isEmpty()) effects.remove(random.nextInt(effects.size())); }
                case 4 -> java.util.Collections.shuffle(functions, random);
                case 5 -> {
                    if (!routes.isEmpty()) {
                        var r = routes.get(0);
                        routes.set(0, new dev.manaknight.lang.bytecode.Route(r.method(), r.path(), random.nextInt(9) - 2, r.inputs(),
                                random.nextInt(), r.responses(), r.file(), r.line()));
                    }
                }
                default -> {
                    if (!tests.isEmpty()) {
                        var t = tests.get(0);
                        tests.set(0, new dev.manaknight.lang.bytecode.TestCase(t.name(), random.nextInt(9) - 2, random.nextInt(), t.file(), t.line()));
                    }
                    int f = random.nextInt(functions.size());
                    var fn = functions.get(f);
                    functions.set(f, new Function(fn.name(), fn.file(), fn.params(), fn.result(), fn.locals(), fn.maxStack(),
                            random.nextInt(), fn.code(), fn.lines()));
                }
            }
            Module m = new Module(constants, types, base.typeRefs(), functions, effects, routes, tests);
            try {
                if (!Verifier.verify(m).isEmpty()) refused++;
                if (i % DISASSEMBLE_EVERY == 0) Disassembler.disassemble(m, null);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("table mutation " + i + " threw " + e, e);
            }
        }
        assertTrue(refused > TABLE_MUTATIONS / 3, "most table mutations break the module: " + refused);
    }

    private static void readAndVerify(byte[] bytes, int iteration, Outcomes outcomes) {
        try {
            Module m = ModuleReader.read(bytes);
            List<VerifyError> errors = Verifier.verify(m);
            if (iteration % DISASSEMBLE_EVERY == 0) Disassembler.disassemble(m, SampleModules::source);
            if (errors.isEmpty()) outcomes.clean++;
            else outcomes.verifyErrors++;
        } catch (ModuleFormatException e) {
            assertTrue(e.getMessage().matches("(?s)mkb: at byte \\d+ in .+: .+"), "says what and where: " + e.getMessage());
            outcomes.formatErrors++;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail("mutation " + iteration + " (" + bytes.length + " bytes: " + HexFormat.of().formatHex(bytes) + ") threw " + e, e);
        }
    }

    /** One random damage to a byte array: flip, overwrite, truncate, insert, duplicate or delete a range. */
    static byte[] mutate(byte[] in, Random random) {
        if (in.length == 0) return new byte[] {(byte) random.nextInt(256)};
        int at = random.nextInt(in.length);
        return switch (random.nextInt(7)) {
            case 0 -> {
                byte[] out = in.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
                yield out;
            }
            case 1 -> {
                byte[] out = in.clone();
                out[at] = (byte) random.nextInt(256);
                yield out;
            }
            case 2 -> {
                byte[] out = in.clone();
                byte[] interesting = {0, (byte) 0xFF, 0x7F, (byte) 0x80, 1, 2};
                out[at] = interesting[random.nextInt(interesting.length)];
                yield out;
            }
            case 3 -> Arrays.copyOf(in, at);
            case 4 -> {
                byte[] extra = new byte[1 + random.nextInt(8)];
                random.nextBytes(extra);
                yield splice(in, at, extra);
            }
            case 5 -> {
                int len = 1 + random.nextInt(Math.min(16, in.length - at));
                yield splice(in, random.nextInt(in.length + 1), Arrays.copyOfRange(in, at, at + len));
            }
            default -> {
                int len = 1 + random.nextInt(Math.min(16, in.length - at));
                byte[] out = new byte[in.length - len];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + len, out, at, in.length - at - len);
                yield out;
            }
        };
    }

    /** Byte damage, or a plausible instruction written over the code. */
    private static byte[] mutateCode(byte[] code, Random random) {
        if (code.length > 0 && random.nextBoolean()) {
            byte[] out = code.clone();
            out[random.nextInt(out.length)] = (byte) random.nextInt(Opcode.values().length);
            if (random.nextBoolean() && out.length > 2) {
                int at = random.nextInt(out.length - 1);
                out[at + 1] = (byte) random.nextInt(4); // small operands: mostly in-range indices, slots and targets
            }
            return out;
        }
        return mutate(code, random);
    }

    private static byte[] splice(byte[] in, int at, byte[] extra) {
        byte[] out = new byte[in.length + extra.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(in, at, out, at + extra.length, in.length - at);
        return out;
    }
}

package dev.manaknight.lang.mnk;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.verify.VerifyException;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Vm;
import dev.manaknight.lang.vm.VmError;
import dev.manaknight.lang.vm.VmLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the verifier is sound. Every module it accepts runs without reaching the VM's
 * internal-error path ({@link VmError.Kind#INTERNAL}: a ClassCastException or an index out of
 * bounds caught by the run loop) and without an exception escaping the VM.
 *
 * <p>The inputs are the language tests' programs (every `.mnk` under src/test/mnk that compiles),
 * damaged by {@link Mutator} one to three times: code bytes, opcodes, operands, table indices,
 * constants, type-table entries, function headers, type references, effects, routes. Each mutant
 * is either refused by the verifier or run: every function, with arguments of its declared types
 * and a host that answers with values of the declared result types, under a tiny budget so that
 * each run is short. Both outcomes are counted and printed.
 *
 * <p>Seeded and bounded: {@value #MUTANTS} mutants (at least 100,000 per CI run), stopped with a
 * failure if they take longer than {@value #TIME_BOX_SECONDS} s per 100,000. `-Dfuzz.seed=…` and
 * `-Dfuzz.mutants=…` run other or more mutants; a failure names the seed and the mutant.
 */
class CompiledFuzzTest {
    private static final int MUTANTS = 100_000;
    private static final long TIME_BOX_SECONDS = 60;
    private static final long SEED = 0x5eedL;
    /** Small enough that a run is a few microseconds; large enough to get past a loop or two. */
    private static final VmLimits TINY = new VmLimits(64 * 1024, 2_000, 0, 16);
    /** Failing mutants shown in the report. */
    private static final int SHOWN = 8;

    private record Program0(String file, Module module) {}

    @Test
    void everyVerifiedMutantRunsWithoutAnInternalError() throws Exception {
        List<Program0> programs = compiledPrograms();
        assertTrue(programs.size() > 30, "enough programs to mutate: " + programs.size());
        long seed = Long.getLong("fuzz.seed", SEED);
        int mutants = Integer.getInteger("fuzz.mutants", MUTANTS);
        var random = new Random(seed);
        var mutator = new Mutator(random);
        var outcomes = new EnumMap<VmError.Kind, Integer>(VmError.Kind.class);
        var failures = new ArrayList<String>();
        int made = 0, refused = 0, accepted = 0, runs = 0, responded = 0, returned = 0, noValue = 0, internal = 0;
        long start = System.nanoTime();
        long box = TIME_BOX_SECONDS * Math.max(1, mutants / MUTANTS);
        long deadline = start + box * 1_000_000_000L;
        while (made < mutants) {
            if ((made & 1023) == 0 && System.nanoTime() > deadline)
                fail("time box: only " + made + " of " + mutants + " mutants in " + box + " s");
            Program0 base = programs.get(random.nextInt(programs.size()));
            Module module = base.module();
            var description = new StringBuilder(base.file());
            int damages = 1 + random.nextInt(3);
            for (int d = 0; d < damages; d++) {
                Mutator.Mutant m = mutator.mutate(module);
                if (m == null) continue;
                module = m.module();
                description.append("; ").append(m.description());
            }
            if (module == base.module()) continue; // no damage applied: not a mutant
            int index = made++;
            Program program;
            try {
                program = Program.load(module);
            } catch (VerifyException e) {
                refused++;
                continue;
            }
            accepted++;
            var values = new SampleValues(module);
            // config keys get sample values, as the runtime gives every key one before it serves
            var config = new ArrayList<Object>();
            for (var key : module.settings()) config.add(values.of(key.type(), 0));
            program = program.withConfig(config);
            for (int f = 0; f < module.functions().size(); f++) {
                Function fn = module.functions().get(f);
                Object[] args;
                try {
                    args = values.arguments(fn);
                } catch (SampleValues.NoValue e) {
                    noValue++;
                    continue;
                }
                runs++;
                Outcome outcome;
                try {
                    outcome = new Vm(program, values, TINY, -1).invoke(f, args);
                } catch (Throwable t) {
                    failures.add(report(seed, index, description, f, fn, "threw " + t));
                    continue;
                }
                switch (outcome) {
                    case Outcome.Responded r -> responded++;
                    case Outcome.Returned r -> returned++;
                    case Outcome.Failed failed -> {
                        outcomes.merge(failed.error().kind(), 1, Integer::sum);
                        if (failed.error().kind() == VmError.Kind.INTERNAL) {
                            internal++;
                            failures.add(report(seed, index, description, f, fn, failed.error().render()));
                        }
                    }
                }
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("compiled fuzz (seed %d): %d mutants of %d programs in %d ms: %d refused by the verifier, %d accepted;"
                        + " %d runs: %d responded, %d returned, failed %s; %d functions without sample arguments;"
                        + " %d internal errors, %d escapes%n",
                seed, made, programs.size(), millis, refused, accepted, runs, responded, returned, outcomes, noValue, internal,
                failures.size() - internal);
        assertTrue(refused > 0 && accepted > 0 && runs > 0, "both outcomes occur");
        if (!failures.isEmpty()) {
            fail(failures.size() + " runs of verified mutants ended in an internal error or escaped the VM; the first "
                    + Math.min(SHOWN, failures.size()) + ":\n"
                    + String.join("\n", failures.subList(0, Math.min(SHOWN, failures.size()))));
        }
    }

    private static String report(long seed, int index, CharSequence description, int f, Function fn, String what) {
        return "- seed " + seed + " mutant " + index + ": " + description + "\n  F" + f + " `" + fn.name() + "`: "
                + what.replace("\n", "\n  ");
    }

    /** Every test program that compiles (the others are the compile-error tests). */
    private static List<Program0> compiledPrograms() throws Exception {
        var out = new ArrayList<Program0>();
        try (Stream<Path> s = Files.walk(Path.of("src/test/mnk"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".mnk")).sorted().toList()) {
                try {
                    Module m = Compiler.compile(List.of(new SourceFile(p.getFileName().toString(), Files.readString(p))));
                    if (!m.functions().isEmpty()) out.add(new Program0(p.toString(), m));
                } catch (CompileException expected) {
                    // an error test
                }
            }
        }
        return out;
    }
}

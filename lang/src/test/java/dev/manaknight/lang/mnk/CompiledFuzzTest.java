package dev.manaknight.lang.mnk;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.verify.Verifier;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.lang.vm.Vm;
import dev.manaknight.lang.vm.VmLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The VM trusts verified code: so every mutation of a compiled program's code that the verifier
 * accepts must still run to an {@link Outcome} — a trap or an INTERNAL fault at worst, never an
 * exception escaping the VM. Programs are the language tests; seeds are fixed.
 */
class CompiledFuzzTest {
    private static final int MUTATIONS = 4000;

    @Test void verifiedMutantsOfCompiledProgramsNeverEscapeTheVm() throws Exception {
        List<Module> modules = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("src/test/mnk"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".mnk")).sorted().toList()) {
                try {
                    modules.add(Compiler.compile(List.of(new SourceFile(p.getFileName().toString(), Files.readString(p)))));
                } catch (CompileException expected) {
                    // the error tests
                }
            }
        }
        assertTrue(modules.size() > 30, "enough programs to mutate");
        Random random = new Random(0x5eed);
        Host host = (EffectOp op, Object[] args) -> switch (op.result().toString()) {
            case "Int" -> 7L;
            case "String" -> "s";
            default -> Values.Unit.UNIT;
        };
        int verified = 0, ran = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            Module m = modules.get(random.nextInt(modules.size()));
            int fi = random.nextInt(m.functions().size());
            Function f = m.functions().get(fi);
            if (f.code().length == 0) continue;
            byte[] code = f.code().clone();
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) code[random.nextInt(code.length)] = (byte) random.nextInt(256);
            List<Function> fns = new ArrayList<>(m.functions());
            fns.set(fi, new Function(f.name(), f.file(), f.params(), f.result(), f.locals(), f.maxStack(), f.capabilities(), code, f.lines()));
            Module mutant = new Module(m.constants(), m.types(), m.typeRefs(), fns, m.effects(), m.routes(), m.tests());
            if (!Verifier.verify(mutant).isEmpty()) continue;
            verified++;
            Program program = Program.trusted(mutant);
            for (int j = 0; j < fns.size(); j++) {
                if (!fns.get(j).params().isEmpty()) continue;
                Outcome o = new Vm(program, host, new VmLimits(1 << 16, 20_000, 0, 32), -1).invoke(j);
                assertNotNull(o);
                ran++;
            }
        }
        System.out.println("compiled fuzz: " + verified + " of " + MUTATIONS + " mutants verified, " + ran + " runs");
        assertTrue(verified > 0 && ran > 0, "some mutants verify and run: " + verified + " verified, " + ran + " runs");
    }
}

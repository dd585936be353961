package dev.manaknight.lang.mnk;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Whatever the source, the compiler ends in a module that verifies or in diagnostics — never an
 * exception of its own. Mutants of the language tests (lines dropped, duplicated, swapped;
 * words swapped between lines) exercise the checker and code generator on programs that parse
 * but are subtly wrong. Seeds are fixed.
 */
class CompilerRobustnessTest {
    private static final int MUTANTS = 3000;

    @Test void mutatedProgramsCompileAndVerifyOrGiveDiagnostics() throws Exception {
        List<String> sources = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("src/test/mnk"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".mnk")).sorted().toList()) sources.add(Files.readString(p));
        }
        Random random = new Random(42);
        int compiled = 0, refused = 0;
        for (int i = 0; i < MUTANTS; i++) {
            String text = mutate(sources.get(random.nextInt(sources.size())), random);
            try {
                Module m = Compiler.compile(List.of(new SourceFile("mutant.mnk", text)));
                Program.load(m);
                compiled++;
            } catch (CompileException e) {
                if (e.diagnostics().isEmpty()) fail("a compile error without diagnostics for:\n" + text);
                refused++;
            } catch (Exception | Error e) {
                throw new AssertionError("the compiler failed on this program:\n" + text, e);
            }
        }
        assertTrue(compiled > 100 && refused > 100, compiled + " compiled, " + refused + " refused");
    }

    private static String mutate(String source, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(source.split("\n", -1)));
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && lines.size() > 1; e++) {
            int a = random.nextInt(lines.size()), b = random.nextInt(lines.size());
            switch (random.nextInt(5)) {
                case 0 -> lines.remove(a);
                case 1 -> lines.add(b, lines.get(a));
                case 2 -> {
                    String t = lines.get(a);
                    lines.set(a, lines.get(b));
                    lines.set(b, t);
                }
                case 3 -> lines.set(a, swapWord(lines.get(a), lines.get(b), random));
                default -> lines.set(a, lines.get(a).replaceFirst("\\b(Int|String|Decimal|Bool|some|none|ok|err|let|var)\\b",
                        List.of("Int", "String", "Decimal", "Bool", "Option<Int>", "none", "some(1)", "var", "let").get(random.nextInt(9))));
            }
        }
        return String.join("\n", lines);
    }

    private static String swapWord(String into, String from, Random random) {
        String[] a = into.split("(?<=\\W)|(?=\\W)"), b = from.split("(?<=\\W)|(?=\\W)");
        if (a.length == 0 || b.length == 0) return into;
        a[random.nextInt(a.length)] = b[random.nextInt(b.length)];
        return String.join("", a);
    }
}

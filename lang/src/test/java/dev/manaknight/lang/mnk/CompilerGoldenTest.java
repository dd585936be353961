package dev.manaknight.lang.mnk;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.Disassembler;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.diag.CodeFrame;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.testing.Golden;
import dev.manaknight.lang.vm.Program;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files for the compiler: `golden/check/NAME.mnk` must fail with exactly the code frames
 * in NAME.expected; `golden/codegen/NAME.mnk` must compile, verify, and disassemble to exactly
 * NAME.expected. Rewritten only with -Dgolden.update=true.
 */
class CompilerGoldenTest {
    private static final Path ROOT = Path.of("src/test/resources/golden");

    @TestFactory
    Stream<DynamicTest> diagnostics() throws IOException {
        return cases("check").map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            var source = new SourceFile(p.getFileName().toString(), Files.readString(p));
            var e = assertThrows(CompileException.class, () -> Compiler.compile(List.of(source)), p + " should not compile");
            Golden.check(expected(p), CodeFrame.render(e.diagnostics()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> disassembly() throws IOException {
        return cases("codegen").map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            var source = new SourceFile(p.getFileName().toString(), Files.readString(p));
            Module module = Compiler.compile(List.of(source));
            Program.load(module); // generated code always verifies
            Golden.check(expected(p), Disassembler.disassemble(module, name -> name.equals(source.name()) ? source : null));
        }));
    }

    private static Stream<Path> cases(String folder) throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve(folder))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".mnk")).sorted().toList();
            if (files.isEmpty()) throw new IllegalStateException("no golden cases in " + folder);
            return files.stream();
        }
    }

    private static Path expected(Path mnk) {
        String name = mnk.getFileName().toString();
        return mnk.resolveSibling(name.substring(0, name.length() - 4) + ".expected");
    }
}

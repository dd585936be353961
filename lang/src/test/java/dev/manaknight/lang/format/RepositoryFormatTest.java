package dev.manaknight.lang.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.ModuleWriter;
import dev.manaknight.lang.bytecode.TestCase;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.syntax.Parser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 16: `manaknight fmt` over everything the repository holds. Each `.mnk` file and each
 * `mnk` block of the guide: formatting twice gives what formatting once gave, and the formatted
 * file compiles to the same module (line numbers mapped) or fails with the same errors. And the
 * CI check: every `.mnk` file in the repository is already formatted, except the parser's golden
 * cases and other tests' inputs that hold syntax errors on purpose.
 */
class RepositoryFormatTest {
    /** A test's own input (below some module's src/test/), which may hold syntax errors on purpose. */
    private static boolean isSyntaxCase(Path p) {
        return RepositorySources.ROOT.relativize(p).toString().matches("[^/]+/src/test/.*");
    }

    @TestFactory Stream<DynamicTest> everyRepositoryFileKeepsItsMeaningAndIsIdempotent() {
        List<Path> files = RepositorySources.mnkFiles();
        assertTrue(files.size() > 100, "the repository's .mnk files: " + files.size());
        return files.stream().filter(p -> parses(p)).map(p -> DynamicTest.dynamicTest(
                RepositorySources.ROOT.relativize(p).toString(), () -> sameMeaning(read(p))));
    }

    @TestFactory Stream<DynamicTest> everyGuideBlockIsIdempotent() {
        var blocks = RepositorySources.guideBlocks();
        assertTrue(blocks.size() >= 15, "the guide's mnk blocks: " + blocks.size());
        return blocks.stream().filter(b -> Parser.parse(new SourceFile(b.where(), b.text())).ok())
                .map(b -> DynamicTest.dynamicTest(b.where(), () -> sameMeaning(new SourceFile(b.where(), b.text()))));
    }

    /** The CI check: what `manaknight fmt --check` would say over the repository and the guide's blocks. */
    @Test void everyRepositoryFileIsFormatted() throws IOException {
        var unformatted = new ArrayList<String>();
        for (Path p : RepositorySources.mnkFiles()) {
            SourceFile f = read(p);
            boolean parses = Parser.parse(f).ok();
            assertTrue(parses || isSyntaxCase(p), p + ": only test cases may fail to parse");
            try {
                if (parses && !Formatter.isFormatted(f)) unformatted.add(RepositorySources.ROOT.relativize(p).toString());
            } catch (CompileException e) {
                throw new AssertionError(p + " parsed but did not format", e);
            }
        }
        for (RepositorySources.Block b : RepositorySources.guideBlocks()) {
            SourceFile f = new SourceFile(b.where(), b.text());
            try {
                if (Parser.parse(f).ok() && !Formatter.isFormatted(f)) unformatted.add(b.where());
            } catch (CompileException e) {
                throw new AssertionError(b.where() + " parsed but did not format", e);
            }
        }
        assertEquals(List.of(), unformatted, "run ./manaknight fmt on these (and format the guide's blocks so)");
    }

    private static boolean parses(Path p) {
        try {
            return Parser.parse(read(p)).ok();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static SourceFile read(Path p) throws IOException {
        return new SourceFile(p.getFileName().toString(), Files.readString(p));
    }

    private static void sameMeaning(SourceFile original) throws CompileException {
        String once = Formatter.format(original);
        SourceFile formatted = new SourceFile(original.name(), once);
        assertEquals(once, Formatter.format(formatted), "format(format(x)) == format(x)");
        int[] lineMap = lineMap(original, formatted);
        Module before, after;
        try {
            before = Compiler.compile(List.of(original));
        } catch (CompileException e) {
            var again = assertThrowsCompile(formatted);
            assertEquals(titles(e.diagnostics()), titles(again.diagnostics()), "the same errors after formatting");
            return;
        }
        after = Compiler.compile(List.of(formatted));
        assertArrayEquals(ModuleWriter.toBytes(relined(before, lineMap, after)), ModuleWriter.toBytes(after),
                "the same module after formatting");
    }

    private static CompileException assertThrowsCompile(SourceFile f) {
        try {
            Compiler.compile(List.of(f));
        } catch (CompileException e) {
            return e;
        }
        throw new AssertionError(f.name() + " compiles once formatted but not before");
    }

    private static List<String> titles(List<Diagnostic> ds) {
        return ds.stream().map(d -> d.code() + " " + d.title()).toList();
    }

    /** Original line (1-based) → formatted line: the formatter keeps every non-blank line, in order. */
    private static int[] lineMap(SourceFile original, SourceFile formatted) {
        List<Line> a = LineReader.read(original), b = LineReader.read(formatted);
        int[] map = new int[a.size() + 1];
        int j = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).blank()) continue;
            while (b.get(j).blank()) j++;
            assertEquals(a.get(i), b.get(j), "line " + (i + 1) + " kept as line " + (j + 1));
            map[i + 1] = ++j;
        }
        return map;
    }

    /**
     * `m` with its line numbers mapped to the formatted file's, and with the text of each `expect`
     * (its source, shown when it fails) taken from `after` where the two differ in spacing only.
     */
    private static Module relined(Module m, int[] map, Module after) {
        var constants = new ArrayList<Constant>(m.constants());
        for (int i = 0; i < constants.size() && i < after.constants().size(); i++) {
            if (constants.get(i) instanceof Constant.StrConst(String a) && after.constants().get(i) instanceof
                    Constant.StrConst(String b) && a.replaceAll("\\s+", "").equals(b.replaceAll("\\s+", ""))) {
                constants.set(i, after.constants().get(i));
            }
        }
        var functions = new ArrayList<Function>();
        for (Function f : m.functions()) {
            int[] lines = f.lines().clone();
            for (int i = 1; i < lines.length; i += 2) if (lines[i] > 0) lines[i] = map[lines[i]];
            functions.add(new Function(f.name(), f.file(), f.params(), f.result(), f.locals(), f.maxStack(),
                    f.capabilities(), f.code(), lines));
        }
        var tests = new ArrayList<TestCase>();
        for (TestCase t : m.tests()) tests.add(new TestCase(t.name(), t.function(), t.capabilities(), t.file(),
                t.line() > 0 ? map[t.line()] : 0));
        return new Module(constants, m.types(), m.typeRefs(), functions, m.effects(), m.routes(), tests, m.settings());
    }
}

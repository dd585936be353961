package dev.manaknight.lang;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.codegen.Codegen;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.syntax.ParseResult;
import dev.manaknight.lang.syntax.Parser;
import dev.manaknight.lang.syntax.ast.SourceUnit;
import dev.manaknight.lang.types.CheckedApp;
import dev.manaknight.lang.types.Checker;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The compiler's front door: sources in, a module (or every diagnostic) out. */
public final class Compiler {
    private Compiler() {}

    /** The result of a compilation that may also carry warnings. */
    public record Result(Module module, List<Diagnostic> warnings) {}

    /** Compiles one app: all files together, names app-wide. */
    public static Module compile(List<SourceFile> files) throws CompileException {
        return compileWithWarnings(files).module();
    }

    /** Like {@link #compile}, also returning warnings (unreachable arms, …). */
    public static Result compileWithWarnings(List<SourceFile> files) throws CompileException {
        List<Diagnostic> diags = new ArrayList<>();
        List<SourceUnit> units = new ArrayList<>();
        for (SourceFile f : files) {
            ParseResult r = Parser.parse(f);
            diags.addAll(r.diagnostics());
            units.add(r.unit());
        }
        // The parser recovers, so one run reports every syntax error; but a partial tree would
        // only produce follow-on type errors, so checking waits until the syntax is right.
        if (!diags.isEmpty()) throw new CompileException(sorted(diags));
        CheckedApp checked = Checker.check(units, diags);
        List<Diagnostic> errors = new ArrayList<>(), warnings = new ArrayList<>();
        for (Diagnostic d : diags) (d.severity() == Diagnostic.Severity.ERROR ? errors : warnings).add(d);
        if (!errors.isEmpty()) throw new CompileException(sorted(errors));
        return new Result(Codegen.generate(checked), warnings);
    }

    private static List<Diagnostic> sorted(List<Diagnostic> diags) {
        List<Diagnostic> out = new ArrayList<>(diags);
        out.sort(Comparator.comparing((Diagnostic d) -> d.span().file().name()).thenComparingInt(d -> d.span().start()));
        return out;
    }

    /** Reads every `.mnk` file below `dir` (sorted by path, names relative to `dir`); none is an empty list. */
    public static List<SourceFile> loadSources(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": not a directory");
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.filter(p -> p.toString().endsWith(".mnk") && Files.isRegularFile(p)).sorted().toList();
        }
        List<SourceFile> files = new ArrayList<>();
        for (Path p : paths) {
            String name = dir.relativize(p).toString().replace('\\', '/');
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            String text;
            try {
                text = decoder.decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p))).toString();
            } catch (CharacterCodingException e) {
                throw new IOException(p + ": not valid UTF-8");
            }
            if (text.startsWith("\uFEFF")) text = text.substring(1);
            files.add(new SourceFile(name, text));
        }
        return files;
    }
}

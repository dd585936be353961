package dev.manaknight.lang.mnk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.diag.CodeFrame;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.lang.vm.Vm;
import dev.manaknight.lang.vm.VmLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the language tests: every `.mnk` file under src/test/mnk, one per test, in feature
 * folders. Inline expectations, in the style of clox's test suite:
 * <ul>
 *   <li>{@code // error: E0601} on a line: compilation fails with that code on that line (text
 *       after the code must occur in the message); all expected errors, and no others.</li>
 *   <li>{@code // warning: E0602}: likewise for a warning (compilation succeeds).</li>
 *   <li>{@code // expect: text}: `fn main()` is run and logs (log.info) these lines, in order.</li>
 *   <li>{@code // expect runtime error: kind-slug [message substring]}: `main` fails so.</li>
 *   <li>{@code // limits: fuel=N memory=N frames=N}: VM limits for this file.</li>
 * </ul>
 */
class LanguageTest {
    private static final Path ROOT = Path.of("src/test/mnk");
    private static final Pattern DIAG = Pattern.compile("//\\s*(error|warning):\\s*(E\\d{4})\\s*(.*)$");
    private static final Pattern EXPECT = Pattern.compile("//\\s*expect:\\s?(.*)$");
    private static final Pattern RUNTIME = Pattern.compile("//\\s*expect runtime error:\\s*(\\S+)\\s*(.*)$");
    private static final Pattern LIMITS = Pattern.compile("//\\s*limits:(.*)$");

    @TestFactory
    Stream<DynamicTest> languageTests() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT)) {
            files = s.filter(p -> p.toString().endsWith(".mnk")).sorted().toList();
        }
        if (files.isEmpty()) throw new IllegalStateException("no language tests under " + ROOT.toAbsolutePath());
        return files.stream().map(p -> DynamicTest.dynamicTest(ROOT.relativize(p).toString(), p.toUri(), () -> run(p)));
    }

    private record Expected(int line, String severity, String code, String text) {}

    static void run(Path path) throws IOException {
        String text = Files.readString(path);
        String[] lines = text.split("\n", -1);
        List<Expected> diags = new ArrayList<>();
        List<String> output = new ArrayList<>();
        String runtimeKind = null, runtimeText = null;
        VmLimits limits = new VmLimits(1 << 20, 10_000_000, 0, VmLimits.DEFAULT_MAX_FRAMES);
        for (int i = 0; i < lines.length; i++) {
            Matcher m;
            if ((m = RUNTIME.matcher(lines[i])).find()) {
                runtimeKind = m.group(1);
                runtimeText = m.group(2).trim();
            } else if ((m = EXPECT.matcher(lines[i])).find()) {
                output.add(m.group(1));
            } else if ((m = DIAG.matcher(lines[i])).find()) {
                diags.add(new Expected(i + 1, m.group(1), m.group(2), m.group(3).trim()));
            }
            if ((m = LIMITS.matcher(lines[i])).find()) limits = limits(m.group(1), limits);
        }
        var source = new SourceFile(path.getFileName().toString(), text);
        Compiler.Result result;
        try {
            result = Compiler.compileWithWarnings(List.of(source));
        } catch (CompileException e) {
            checkDiagnostics(diags, e.diagnostics(), path);
            if (diags.stream().noneMatch(d -> d.severity().equals("error")))
                fail(path + ": unexpected compile errors:\n" + CodeFrame.render(e.diagnostics()));
            return;
        }
        if (diags.stream().anyMatch(d -> d.severity().equals("error"))) fail(path + ": expected compile errors, compiled fine");
        checkDiagnostics(diags, result.warnings(), path);
        Module module = result.module();
        Program program;
        try {
            program = Program.load(module);
        } catch (dev.manaknight.lang.verify.VerifyException e) {
            fail(path + ": compiled module fails verification: " + e.errors());
            return;
        }
        int main = -1;
        for (int i = 0; i < module.functions().size(); i++) if (module.functions().get(i).name().equals("main")) main = i;
        if (main < 0) {
            if (!output.isEmpty() || runtimeKind != null) fail(path + ": has run expectations but no `fn main()`");
            return;
        }
        List<String> log = new ArrayList<>();
        Host host = (EffectOp op, Object[] args) -> {
            if (op.capability() == Capability.LOG) {
                log.add((String) args[0]);
                return Values.Unit.UNIT;
            }
            if (op.capability() == Capability.CLOCK) return 1_700_000_000_000L;
            throw new Host.EffectFailure("test", "no " + op.qualifiedName() + " in language tests");
        };
        int all = 0;
        for (Capability c : Capability.values()) all |= c.bit();
        Function f = module.functions().get(main);
        if (!f.params().isEmpty()) fail(path + ": main takes no parameters");
        Outcome outcome = new Vm(program, host, limits, all).invoke(main);
        switch (outcome) {
            case Outcome.Failed failed -> {
                if (runtimeKind == null) fail(path + ": unexpected runtime error " + failed.error().render() + "\nlog so far: " + log);
                assertEquals(runtimeKind, failed.error().kind().slug, path + ": runtime error kind (" + failed.error().render() + ")");
                if (!runtimeText.isEmpty() && !failed.error().message().contains(runtimeText))
                    fail(path + ": runtime error message `" + failed.error().message() + "` lacks `" + runtimeText + "`");
            }
            case Outcome.Returned r -> {
                if (runtimeKind != null) fail(path + ": expected runtime error " + runtimeKind + ", main returned " + Values.display(r.value()));
            }
            case Outcome.Responded r -> fail(path + ": main responded?");
        }
        assertEquals(String.join("\n", output), String.join("\n", log), path + ": log output");
    }

    private static VmLimits limits(String spec, VmLimits base) {
        long memory = base.memoryBytes(), fuel = base.fuel(), cpu = base.cpuNanos();
        int frames = base.maxFrames();
        for (String kv : spec.trim().split("\\s+")) {
            String[] p = kv.split("=");
            switch (p[0]) {
                case "fuel" -> fuel = Long.parseLong(p[1]);
                case "memory" -> memory = Long.parseLong(p[1]);
                case "frames" -> frames = Integer.parseInt(p[1]);
                default -> throw new IllegalArgumentException("unknown limit " + p[0]);
            }
        }
        return new VmLimits(memory, fuel, cpu, frames);
    }

    private static void checkDiagnostics(List<Expected> expected, List<Diagnostic> actual, Path path) {
        var want = new TreeSet<String>();
        for (Expected e : expected) want.add(e.line() + ":" + e.severity() + ":" + e.code());
        var got = new TreeSet<String>();
        for (Diagnostic d : actual) got.add(d.span().line() + ":" + d.severity().name().toLowerCase() + ":" + d.code());
        if (!want.equals(got)) {
            fail(path + ": diagnostics differ\n  expected " + want + "\n  actual   " + got + "\n" + CodeFrame.render(actual));
        }
        for (Expected e : expected) {
            if (e.text().isEmpty()) continue;
            boolean found = actual.stream().anyMatch(d -> d.span().line() == e.line() && d.code().equals(e.code())
                    && (d.title() + " " + d.label() + " " + d.hint()).contains(e.text()));
            if (!found) fail(path + ":" + e.line() + ": no " + e.code() + " mentioning `" + e.text() + "`\n" + CodeFrame.render(actual));
        }
    }
}

package dev.manaknight.lang.mnk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.diag.CodeFrame;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Response;
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
 *   <li>{@code // config: key=value}: the value of a config key (as the runtime reads it from the
 *       environment: `42`, `12.50`, `true`, text); keys not given keep their defaults.</li>
 *   <li>{@code // request: GET /items/:id 7 none -> 404}: the handler of that route, run with these
 *       arguments (Int, Decimal, `"String"`, `true`/`false`, `none`, `some(v)`; in its parameter
 *       order), responds so: the status, then `json(value)` or `text("…")`, then `[Name: value, …]`
 *       for headers; or `-> runtime error: kind-slug`.</li>
 *   <li>{@code // expect failed: file.mnk:12: expect r.status == 201: got 200}: the file's `test`
 *       blocks are run (without `request`), and these are the expectations that fail, in order.</li>
 * </ul>
 */
class LanguageTest {
    private static final Path ROOT = Path.of("src/test/mnk");
    private static final Pattern DIAG = Pattern.compile("//\\s*(error|warning):\\s*(E\\d{4})\\s*(.*)$");
    private static final Pattern EXPECT = Pattern.compile("//\\s*expect:\\s?(.*)$");
    private static final Pattern FAILED = Pattern.compile("//\\s*expect failed:\\s?(.*)$");
    private static final Pattern RUNTIME = Pattern.compile("//\\s*expect runtime error:\\s*(\\S+)\\s*(.*)$");
    private static final Pattern LIMITS = Pattern.compile("//\\s*limits:(.*)$");
    private static final Pattern CONFIG = Pattern.compile("//\\s*config:\\s*(\\w+)=(.*)$");
    private static final Pattern REQUEST = Pattern.compile("//\\s*request:\\s*(\\S+)\\s+(\\S+)(.*?)\\s+->\\s+(.*)$");

    /** A `// request:` line: the route, its arguments as written, the expected response, where it was written. */
    private record Call(String method, String path, String args, String expected, int line) {}

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
        List<Call> calls = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        VmLimits limits = new VmLimits(1 << 20, 10_000_000, 0, VmLimits.DEFAULT_MAX_FRAMES);
        var config = new java.util.HashMap<String, String>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m;
            if ((m = FAILED.matcher(lines[i])).find()) {
                failures.add(m.group(1));
            } else if ((m = REQUEST.matcher(lines[i])).find()) {
                calls.add(new Call(m.group(1), m.group(2), m.group(3).trim(), m.group(4).trim(), i + 1));
            } else if ((m = RUNTIME.matcher(lines[i])).find()) {
                runtimeKind = m.group(1);
                runtimeText = m.group(2).trim();
            } else if ((m = EXPECT.matcher(lines[i])).find()) {
                output.add(m.group(1));
            } else if ((m = DIAG.matcher(lines[i])).find()) {
                diags.add(new Expected(i + 1, m.group(1), m.group(2), m.group(3).trim()));
            }
            if ((m = LIMITS.matcher(lines[i])).find()) limits = limits(m.group(1), limits);
            if ((m = CONFIG.matcher(lines[i])).find()) config.put(m.group(1), m.group(2).trim());
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
            program = configured(Program.load(module), config);
        } catch (dev.manaknight.lang.verify.VerifyException e) {
            fail(path + ": compiled module fails verification: " + e.errors());
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
        for (Call call : calls) {
            String got = respond(module, new Vm(program, host, limits, all), call, path);
            String where = path + ":" + call.line() + ": " + call.method() + " " + call.path() + " " + call.args();
            assertEquals(call.expected(), got, where);
        }
        if (!failures.isEmpty()) {
            var failed = new ArrayList<String>();
            for (var t : module.tests()) {
                var vm = new Vm(program, host, limits, all);
                if (vm.invoke(t.function()) instanceof Outcome.Failed f) failed.add("runtime error: " + f.error().kind().slug);
                failed.addAll(vm.expectationFailures());
            }
            assertEquals(String.join("\n", failures), String.join("\n", failed), path + ": failed expectations");
        }
        int main = -1;
        for (int i = 0; i < module.functions().size(); i++) if (module.functions().get(i).name().equals("main")) main = i;
        if (main < 0) {
            if (!output.isEmpty() || runtimeKind != null) fail(path + ": has run expectations but no `fn main()`");
            return;
        }
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

    /** Runs the handler of `call`'s route with its arguments; the response (or runtime error) as the directive writes it. */
    private static String respond(Module module, Vm vm, Call call, Path path) {
        Route route = module.routes().stream()
                .filter(r -> r.method().name().equals(call.method()) && r.path().equals(call.path())).findFirst()
                .orElseThrow(() -> new AssertionError(path + ":" + call.line() + ": no route " + call.method() + " "
                        + call.path()));
        var reader = new ValueReader(call.args());
        var args = new ArrayList<Object>();
        while (reader.more()) args.add(reader.value());
        return switch (vm.invoke(route.handler(), args.toArray())) {
            case Outcome.Responded r -> {
                var sb = new StringBuilder().append(r.response().status());
                switch (r.response().body()) {
                    case Response.Body.Json j -> sb.append(" json(").append(Values.show(j.value())).append(')');
                    case Response.Body.Text t -> sb.append(" text(").append(Values.show(t.text())).append(')');
                    case Response.Body.None n -> {}
                }
                var headers = r.response().headers().stream().map(h -> h.name() + ": " + h.value()).toList();
                if (!headers.isEmpty()) sb.append(" [").append(String.join(", ", headers)).append(']');
                yield sb.toString();
            }
            case Outcome.Failed failed -> "runtime error: " + failed.error().kind().slug;
            case Outcome.Returned r -> "returned " + Values.display(r.value());
        };
    }

    /** Reads the arguments of a `// request:` line: Ints, Decimals, `"Strings"`, Bools, `none`, `some(v)`. */
    private static final class ValueReader {
        private final String s;
        private int i;

        ValueReader(String s) { this.s = s; }

        boolean more() {
            while (i < s.length() && s.charAt(i) == ' ') i++;
            return i < s.length();
        }

        Object value() {
            more();
            if (s.charAt(i) == '"') {
                int end = s.indexOf('"', i + 1);
                String text = s.substring(i + 1, end);
                i = end + 1;
                return text;
            }
            if (s.startsWith("some(", i)) {
                i += 5;
                Object inner = value();
                if (s.charAt(i++) != ')') throw new IllegalArgumentException("`)` expected in " + s);
                return new Values.Some(inner);
            }
            int start = i;
            while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != ')') i++;
            String word = s.substring(start, i);
            return switch (word) {
                case "none" -> Values.None.NONE;
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> word.contains(".") ? new java.math.BigDecimal(word) : (Object) Long.parseLong(word);
            };
        }
    }

    /** The program with the `// config:` values; keys not given keep their defaults (or stay unset). */
    private static Program configured(Program program, java.util.Map<String, String> given) {
        if (given.isEmpty()) return program;
        var values = new ArrayList<Object>();
        for (var s : program.module().settings()) {
            String text = given.remove(s.name());
            Object v = text == null ? defaultOf(s) : switch (s.type()) {
                case dev.manaknight.lang.model.Type.Prim p when p == dev.manaknight.lang.model.Type.INT -> Long.parseLong(text);
                case dev.manaknight.lang.model.Type.Prim p when p == dev.manaknight.lang.model.Type.BOOL ->
                        Boolean.parseBoolean(text);
                case dev.manaknight.lang.model.Type.Prim p when p == dev.manaknight.lang.model.Type.DECIMAL ->
                        new java.math.BigDecimal(text);
                case dev.manaknight.lang.model.Type.Prim p when p == dev.manaknight.lang.model.Type.SECRET ->
                        dev.manaknight.lang.vm.Secret.of(text);
                default -> text;
            };
            values.add(v);
        }
        if (!given.isEmpty()) fail("`// config:` names keys the app does not declare: " + given.keySet());
        return program.withConfig(values);
    }

    private static Object defaultOf(dev.manaknight.lang.bytecode.Setting s) {
        if (s.defaultValue() == null) fail("config key " + s.name() + " has no default: give it with `// config:`");
        return switch (s.defaultValue()) {
            case dev.manaknight.lang.bytecode.Constant.IntConst c ->
                    s.type() == dev.manaknight.lang.model.Type.BOOL ? (Object) (c.value() != 0) : (Object) c.value();
            case dev.manaknight.lang.bytecode.Constant.StrConst c -> c.value();
            case dev.manaknight.lang.bytecode.Constant.DecConst c -> c.value();
            case dev.manaknight.lang.bytecode.Constant.FloatConst c -> c.value();
        };
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

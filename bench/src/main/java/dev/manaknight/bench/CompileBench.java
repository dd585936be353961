package dev.manaknight.bench;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.syntax.ParseResult;
import dev.manaknight.lang.syntax.Parser;
import dev.manaknight.lang.verify.VerifyError;
import dev.manaknight.lang.verify.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compile speed on a generated app of a few thousand lines (AppGenerator): parse alone,
 * parse + check + codegen (what `manaknight build` does), and the verifier alone. The `lines`
 * counter is reported per second: source lines per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class CompileBench {
    /** 50 blocks of ~80 lines: an app of about 4,000 lines in 10 files. */
    static final int BLOCKS = 50;
    static final int BLOCKS_PER_FILE = 5;

    private List<SourceFile> files;
    private Module module;
    private long lines;

    /** Source lines processed, summed over the iteration: JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Lines {
        public long lines;

        @Setup(Level.Iteration)
        public void reset() { lines = 0; }
    }

    @Setup(Level.Trial)
    public void setUp() throws CompileException {
        files = AppGenerator.generate(BLOCKS, BLOCKS_PER_FILE);
        lines = AppGenerator.lines(files);
        module = Compiler.compile(files);
        List<VerifyError> errors = Verifier.verify(module);
        if (!errors.isEmpty()) throw new IllegalStateException("generated app does not verify: " + errors);
        System.out.printf("%n[CompileBench] %d files, %d lines, %d functions, %d routes%n",
                files.size(), lines, module.functions().size(), module.routes().size());
    }

    /** Lexing and parsing only. */
    @Benchmark
    public List<ParseResult> parse(Lines counter) {
        var out = new ArrayList<ParseResult>(files.size());
        for (SourceFile f : files) out.add(Parser.parse(f));
        counter.lines += lines;
        return out;
    }

    /** Parse + check + codegen: sources to a module. */
    @Benchmark
    public Module compile(Lines counter) throws CompileException {
        Module m = Compiler.compile(files);
        counter.lines += lines;
        return m;
    }

    /** The bytecode verifier alone, on the module compiled at setup. */
    @Benchmark
    public List<VerifyError> verify(Lines counter) {
        List<VerifyError> errors = Verifier.verify(module);
        counter.lines += lines;
        return errors;
    }
}

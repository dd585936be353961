package dev.manaknight.cli;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.Disassembler;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.ModuleReader;
import dev.manaknight.lang.bytecode.ModuleWriter;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.verify.Verifier;
import java.nio.file.Files;
import java.util.List;

/**
 * Whether a shared stub has been filled in yet. The skeleton's stubs throw
 * `UnsupportedOperationException("TODO(owner)")`; anything else (a result, a compile error, a
 * format error) means the real code is there, and the tests that need it start to run.
 */
final class Implemented {
    private Implemented() {}

    interface Probe {
        void run() throws Exception;
    }

    static boolean probe(Probe p) {
        try {
            p.run();
            return true;
        } catch (UnsupportedOperationException e) {
            return e.getMessage() == null || !e.getMessage().startsWith("TODO(");
        } catch (Exception | LinkageError e) {
            return true;
        }
    }

    private static final Module EMPTY = new Module(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    static boolean compiler() {
        return probe(() -> Compiler.compile(List.of(new SourceFile("probe.mnk", ""))))
                && probe(() -> {
                    var dir = Files.createTempDirectory("manaknight-probe");
                    try {
                        Compiler.loadSources(dir);
                    } finally {
                        Files.delete(dir);
                    }
                });
    }

    static boolean reader() {
        return probe(() -> ModuleReader.read(new byte[] {1, 2, 3}));
    }

    static boolean writer() {
        return probe(() -> ModuleWriter.toBytes(EMPTY));
    }

    static boolean verifier() {
        return probe(() -> Verifier.verify(EMPTY));
    }

    static boolean disassembler() {
        return probe(() -> Disassembler.disassemble(EMPTY, name -> null));
    }
}

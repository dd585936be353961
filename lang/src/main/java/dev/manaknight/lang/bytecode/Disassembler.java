package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.source.SourceFile;

/** Prints a module readably: tables, routes, and every function's code beside its source lines. */
public final class Disassembler {
    private Disassembler() {}

    /** @param sources finds a source file by the name stored in the module; may return null */
    public static String disassemble(Module module, java.util.function.Function<String, SourceFile> sources) {
        throw new UnsupportedOperationException("TODO(bytecode helper)");
    }
}

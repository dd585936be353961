package dev.manaknight.lang.diag;

import java.util.List;

/** Compilation stopped with errors; they are all here, in source order. */
public final class CompileException extends Exception {
    private final List<Diagnostic> diagnostics;

    public CompileException(List<Diagnostic> diagnostics) {
        super(diagnostics.size() + " error" + (diagnostics.size() == 1 ? "" : "s")
                + (diagnostics.isEmpty() ? "" : ": " + diagnostics.getFirst().headline()));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() { return diagnostics; }
}

package dev.manaknight.lang.syntax;

import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.syntax.ast.SourceUnit;
import java.util.List;

/** A parsed file and its diagnostics (source order); with errors, `unit` holds what could be parsed. */
public record ParseResult(SourceUnit unit, List<Diagnostic> diagnostics) {
    public ParseResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean ok() {
        return diagnostics.isEmpty();
    }
}

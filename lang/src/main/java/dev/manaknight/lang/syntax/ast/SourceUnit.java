package dev.manaknight.lang.syntax.ast;

import dev.manaknight.lang.source.SourceFile;
import java.util.List;

/** One parsed source file: its declarations in order. */
public record SourceUnit(SourceFile file, List<Decl> decls) {
    public SourceUnit { decls = List.copyOf(decls); }
}

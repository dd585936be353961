package dev.manaknight.lang;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The compiler's front door: sources in, a module (or every diagnostic) out. */
public final class Compiler {
    private Compiler() {}

    /** Compiles one app: all files together, names app-wide. */
    public static Module compile(List<SourceFile> files) throws CompileException {
        throw new UnsupportedOperationException("TODO(lead)");
    }

    /** Reads every `.mnk` file below `dir` (sorted by path, names relative to `dir`). */
    public static List<SourceFile> loadSources(Path dir) throws IOException {
        throw new UnsupportedOperationException("TODO(lead)");
    }
}

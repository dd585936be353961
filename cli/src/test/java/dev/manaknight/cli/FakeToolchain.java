package dev.manaknight.cli;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.ModuleFormatException;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.verify.VerifyException;
import dev.manaknight.lang.vm.Program;
import java.nio.file.Path;
import java.util.List;

/**
 * A toolchain whose answers a test chooses: the module to return, or the failure to throw at
 * each step. Records what it was asked, so tests can see which path the loader took.
 */
final class FakeToolchain implements AppLoader.Toolchain {
    List<SourceFile> sources = List.of(new SourceFile("app.mnk", "api GET / { respond text(\"hi\") }\n"));
    Module module = TestModules.seed();
    CompileException compileError;
    /** Thrown by compile: a bug in the compiler rather than an error in the app. */
    RuntimeException crash;
    ModuleFormatException formatError;
    VerifyException verifyError;
    boolean compiled;
    boolean read;
    /** How many times a module was verified. */
    int verified;

    @Override public List<SourceFile> loadSources(Path dir) {
        return sources;
    }

    @Override public Module compile(List<SourceFile> files) throws CompileException {
        compiled = true;
        if (crash != null) throw crash;
        if (compileError != null) throw compileError;
        return module;
    }

    @Override public Module read(byte[] bytes) throws ModuleFormatException {
        read = true;
        if (formatError != null) throw formatError;
        return module;
    }

    @Override public Program load(Module m) throws VerifyException {
        verified++;
        if (verifyError != null) throw verifyError;
        return Program.trusted(m);
    }

    AppLoader loader() {
        return new AppLoader(this);
    }
}

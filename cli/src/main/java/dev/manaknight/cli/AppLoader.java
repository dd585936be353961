package dev.manaknight.cli;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.ModuleFormatException;
import dev.manaknight.lang.bytecode.ModuleReader;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.verify.VerifyException;
import dev.manaknight.lang.vm.Program;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads APP as every command takes it: a directory of `.mnk` files is compiled, any other file is
 * read as a module; either way the module is verified exactly once, here, and handed on as the
 * {@link Program} the commands run (issue 13: it was verified twice). Failures are exceptions
 * that {@link ExitCode#of} maps.
 */
public final class AppLoader {
    /** The parts of the language the loader calls; tests substitute them. */
    public interface Toolchain {
        List<SourceFile> loadSources(Path dir) throws IOException;

        Module compile(List<SourceFile> files) throws CompileException;

        Module read(byte[] bytes) throws ModuleFormatException;

        /** Verifies and prepares a module: the one place a loaded module is verified. */
        Program load(Module module) throws VerifyException;
    }

    /** The real compiler, module reader and verifier. */
    public static final Toolchain STANDARD = new Toolchain() {
        @Override public List<SourceFile> loadSources(Path dir) throws IOException { return Compiler.loadSources(dir); }

        /** Compiles; warnings (an unreachable `match` arm, …) go to stderr as code frames. */
        @Override public Module compile(List<SourceFile> files) throws CompileException {
            Compiler.Result result = Compiler.compileWithWarnings(files);
            if (!result.warnings().isEmpty()) System.err.print(dev.manaknight.lang.diag.CodeFrame.render(result.warnings()));
            return result.module();
        }

        @Override public Module read(byte[] bytes) throws ModuleFormatException { return ModuleReader.read(bytes); }

        @Override public Program load(Module module) throws VerifyException { return Program.load(module); }
    };

    private final Toolchain toolchain;

    public AppLoader(Toolchain toolchain) {
        this.toolchain = toolchain;
    }

    public static AppLoader standard() {
        return new AppLoader(STANDARD);
    }

    /**
     * The program a server runs under `config`: its app loaded ({@link #load}), its config keys'
     * values bound (a missing or ill-typed one stops it here, naming the key), and, for a module
     * file, its schema required ({@link ModuleSchema}). `serve`, `dev` and `fpm` start and reload with it.
     */
    public Program programFor(dev.manaknight.runtime.config.Config config) throws IOException, CompileException,
            NotAnAppException, InvalidModuleException, VerifyException, dev.manaknight.runtime.config.ConfigException {
        Program program = config.settings().bind(load(config.app()).program());
        ModuleSchema.require(config.app(), program, config);
        return program;
    }

    /**
     * Compiles a directory or reads a module file, then verifies the module once. A compiled
     * module that fails verification (a compiler bug) throws the {@link VerifyException} itself.
     */
    public LoadedApp load(Path path) throws IOException, CompileException, NotAnAppException, InvalidModuleException,
            VerifyException {
        if (Files.isDirectory(path)) {
            if (!Files.isReadable(path)) throw new AccessDeniedException(path.toString());
            List<SourceFile> sources = toolchain.loadSources(path);
            if (sources.isEmpty()) throw new NotAnAppException(path, "holds no .mnk files");
            return new LoadedApp(path, toolchain.load(toolchain.compile(sources)), sources);
        }
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString());
        if (!Files.isRegularFile(path)) throw new NotAnAppException(path, "is neither a directory nor a module file");
        if (path.getFileName().toString().endsWith(".mnk")) {
            throw new NotAnAppException(path, "is a single source file; an app is the directory that holds it");
        }
        byte[] bytes = Files.readAllBytes(path);
        Module module;
        try {
            module = toolchain.read(bytes);
        } catch (ModuleFormatException e) {
            throw new InvalidModuleException(path, e);
        }
        try {
            return new LoadedApp(path, toolchain.load(module), List.of());
        } catch (VerifyException e) {
            throw new InvalidModuleException(path, e);
        }
    }
}

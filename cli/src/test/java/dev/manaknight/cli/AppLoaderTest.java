package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.ModuleFormatException;
import dev.manaknight.lang.bytecode.ModuleWriter;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.verify.VerifyException;
import dev.manaknight.lang.vm.Program;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: the real loader verifies a module exactly once, compiled or read, and hands on that program. */
class AppLoaderTest {
    @TempDir Path dir;

    /** The standard toolchain, counting verifications. */
    private static final class Counting implements AppLoader.Toolchain {
        int verified;

        @Override public List<SourceFile> loadSources(Path d) throws IOException { return AppLoader.STANDARD.loadSources(d); }

        @Override public Module compile(List<SourceFile> files) throws CompileException { return AppLoader.STANDARD.compile(files); }

        @Override public Module read(byte[] bytes) throws ModuleFormatException { return AppLoader.STANDARD.read(bytes); }

        @Override public Program load(Module module) throws VerifyException {
            verified++;
            return AppLoader.STANDARD.load(module);
        }
    }

    private Path app() throws IOException {
        Path app = Files.createDirectory(dir.resolve("users"));
        Files.writeString(app.resolve("users.mnk"), RealToolchainTest.SEED);
        Files.writeString(app.resolve("types.mnk"), RealToolchainTest.TYPES);
        return app;
    }

    @Test void aCompiledDirectoryIsVerifiedOnce() throws Exception {
        var counting = new Counting();
        LoadedApp loaded = new AppLoader(counting).load(app());
        assertEquals(1, counting.verified);
        assertSame(loaded.program().module(), loaded.module());
    }

    @Test void aModuleFileIsVerifiedOnce() throws Exception {
        var counting = new Counting();
        Path mkb = dir.resolve("users.mkb");
        Files.write(mkb, ModuleWriter.toBytes(new AppLoader(counting).load(app()).module()));
        counting.verified = 0;
        LoadedApp loaded = new AppLoader(counting).load(mkb);
        assertEquals(1, counting.verified);
        assertEquals("users", loaded.name());
    }
}

package dev.manaknight.cli;

import dev.manaknight.lang.bytecode.ModuleWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `manaknight build APP -o app.mkb`: compile an app into one module file. */
@Command(name = "build", description = "Compile an app to one bytecode file.")
final class BuildCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "APP", description = "a directory of .mnk files (or a .mkb to re-verify and copy)")
    Path app;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "the .mkb file to write")
    Path output;

    @Mixin QueryCheckOptions queries = new QueryCheckOptions();

    private final AppLoader loader;

    BuildCommand(AppLoader loader) {
        this.loader = loader;
    }

    @Override public Integer call() throws Exception {
        // Fail before compiling when the result could not be written anyway.
        Path folder = output.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) throw new NoSuchFileException(folder.toString());
        LoadedApp loaded = loader.load(app);
        QueryCheck.run(loaded, app, queries, spec.commandLine().getErr());
        byte[] bytes = ModuleWriter.toBytes(loaded.module());
        writeAtomically(output, bytes);
        spec.commandLine().getOut().printf("wrote %s (%d bytes)%n", output, bytes.length);
        return ExitCode.OK;
    }

    /**
     * Writes beside the target and renames, so a reader never sees half a module. A target that
     * exists and is not a file (`/dev/null`, a FIFO, `/dev/stdout`) is written into instead, since
     * a rename would replace the device itself; through a symlink, the file it names is replaced.
     */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path absolute = target.toAbsolutePath();
        if (Files.exists(absolute)) {
            if (!Files.isRegularFile(absolute)) {
                Files.write(absolute, bytes);
                return;
            }
            absolute = absolute.toRealPath();
        }
        Path folder = absolute.getParent();
        Path temp = Files.createTempFile(folder, "." + absolute.getFileName(), ".tmp");
        try {
            Files.write(temp, bytes);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}

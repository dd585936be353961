package dev.manaknight.cli;

import dev.manaknight.lang.bytecode.Disassembler;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `manaknight disasm app.mkb|APP`: print a module's tables and code beside its source lines. */
@Command(name = "disasm", description = "Print the bytecode, routes and constants readably.")
final class DisasmCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "APP", description = "a .mkb module (sources are looked up beside it), or a directory of .mnk files")
    Path app;

    @Option(names = "--sources", paramLabel = "DIR",
            description = "where a module's .mnk files are (default: beside the module), for one built from another folder")
    Path sources;

    private final AppLoader loader;

    DisasmCommand(AppLoader loader) {
        this.loader = loader;
    }

    @Override public Integer call() throws Exception {
        if (sources != null && !Files.isDirectory(sources))
            throw new CommandLine.ParameterException(spec.commandLine(), "--sources: " + sources + " is not a directory");
        LoadedApp loaded = loader.load(app);
        java.util.function.Function<String, SourceFile> lookup =
                sources != null ? LoadedApp.sourcesIn(sources.toAbsolutePath().normalize()) : loaded.sourceLookup();
        String text = Disassembler.disassemble(loaded.module(), lookup);
        var out = spec.commandLine().getOut();
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
        // Issue 16: a module built in another folder showed file:line without the lines, silently.
        var missing = new LinkedHashSet<String>();
        for (Function f : loaded.module().functions())
            if (f.file() != null && lookup.apply(f.file()) == null) missing.add(f.file());
        if (!missing.isEmpty()) {
            var err = spec.commandLine().getErr();
            err.println("manaknight: disasm: no source for " + String.join(", ", missing) + " in "
                    + (sources != null ? sources : "the module's folder")
                    + ": their instructions show file:line only (--sources DIR names the app's folder)");
            err.flush();
        }
        return ExitCode.OK;
    }
}

package dev.manaknight.cli;

import dev.manaknight.lang.bytecode.Disassembler;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `manaknight disasm app.mkb|APP`: print a module's tables and code beside its source lines. */
@Command(name = "disasm", description = "Print the bytecode, routes and constants readably.")
final class DisasmCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "APP", description = "a .mkb module (sources are looked up beside it), or a directory of .mnk files")
    Path app;

    private final AppLoader loader;

    DisasmCommand(AppLoader loader) {
        this.loader = loader;
    }

    @Override public Integer call() throws Exception {
        LoadedApp loaded = loader.load(app);
        String text = Disassembler.disassemble(loaded.module(), loaded.sourceLookup());
        var out = spec.commandLine().getOut();
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
        return ExitCode.OK;
    }
}

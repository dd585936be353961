package dev.manaknight.cli;

import dev.manaknight.lsp.ManaknightLanguageServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * `manaknight lsp`: the language server for editors, speaking LSP on stdin and stdout until the
 * editor sends `exit` (or closes stdin). Nothing else may write to stdout meanwhile.
 */
@Command(name = "lsp", description = "Run the language server for editors (LSP on stdin/stdout): diagnostics, "
        + "hover, go to definition, references, rename, completion, formatting, symbols.")
final class LspCommand implements Callable<Integer> {
    @Override public Integer call() {
        // The raw descriptors: System.out may be wrapped by whatever prints elsewhere, the protocol may not be.
        return ManaknightLanguageServer.run(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    }
}

package dev.manaknight.lsp;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * `manaknight lsp`: the language server. Diagnostics as the document changes (the compiler's,
 * as `check` reports them), hover with types, go to definition, find references and rename,
 * completion, formatting (`manaknight fmt`'s layout) and document symbols. One instance serves one editor over a pair
 * of streams.
 */
public final class ManaknightLanguageServer implements LanguageServer, LanguageClientAware {
    private final TextDocuments documents = new TextDocuments();
    private final WorkspaceService workspace = new NoWorkspace();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile boolean shutdown;

    /**
     * Serves LSP over `in`/`out` until the client sends `exit` or closes `in`. Returns the
     * process's exit code: 0 after `shutdown`, else 1, as LSP asks.
     */
    public static int run(InputStream in, OutputStream out) {
        var server = new ManaknightLanguageServer();
        Launcher<LanguageClient> launcher = LSPLauncher.createServerLauncher(server, in, out);
        server.connect(launcher.getRemoteProxy());
        Future<Void> listening = launcher.startListening();
        Thread.ofVirtual().start(() -> {
            try {
                listening.get();
            } catch (InterruptedException | ExecutionException | java.util.concurrent.CancellationException e) {
                // the stream ended badly: the same as closing it
            }
            server.exit.complete(server.shutdown ? 0 : 1);
        });
        int code = server.exit.join();
        listening.cancel(true);
        return code;
    }

    @Override public void connect(LanguageClient client) {
        documents.connect(client);
    }

    @Override public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        var caps = new ServerCapabilities();
        caps.setTextDocumentSync(TextDocumentSyncKind.Full);
        caps.setHoverProvider(true);
        caps.setDefinitionProvider(true);
        caps.setReferencesProvider(true);
        caps.setRenameProvider(true);
        caps.setCompletionProvider(new CompletionOptions(false, java.util.List.of(".")));
        caps.setDocumentFormattingProvider(true);
        caps.setDocumentSymbolProvider(true);
        return CompletableFuture.completedFuture(new InitializeResult(caps, new ServerInfo("manaknight")));
    }

    @Override public CompletableFuture<Object> shutdown() {
        shutdown = true;
        return CompletableFuture.completedFuture(null);
    }

    @Override public void exit() {
        exit.complete(shutdown ? 0 : 1);
    }

    @Override public TextDocumentService getTextDocumentService() {
        return documents;
    }

    @Override public WorkspaceService getWorkspaceService() {
        return workspace;
    }

    /** No workspace-wide features: every request is about an open document's app. */
    private static final class NoWorkspace implements WorkspaceService {
        @Override public void didChangeConfiguration(org.eclipse.lsp4j.DidChangeConfigurationParams params) {}

        @Override public void didChangeWatchedFiles(org.eclipse.lsp4j.DidChangeWatchedFilesParams params) {}
    }
}

package dev.manaknight.lsp;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * A test's editor: it starts {@link ManaknightLanguageServer#run} on a pair of pipes, talks
 * JSON-RPC to it through LSP4J's client launcher (the bytes an editor sends on the server's
 * stdin), and records the diagnostics the server publishes.
 */
final class Editor implements LanguageClient, AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(20);

    final LanguageServer server;
    final CompletableFuture<Integer> exitCode;
    private final Map<String, List<Diagnostic>> diagnostics = new ConcurrentHashMap<>();
    private final PipedOutputStream toServer;
    private int version;

    Editor() throws IOException {
        var serverIn = new PipedInputStream(1 << 16);
        toServer = new PipedOutputStream(serverIn);
        var clientIn = new PipedInputStream(1 << 16);
        var fromServer = new PipedOutputStream(clientIn);
        exitCode = CompletableFuture.supplyAsync(() -> ManaknightLanguageServer.run(serverIn, fromServer),
                r -> Thread.ofPlatform().daemon().start(r));
        var launcher = LSPLauncher.createClientLauncher(this, clientIn, toServer);
        launcher.startListening();
        server = launcher.getRemoteProxy();
    }

    InitializeResult initialize() throws Exception {
        InitializeResult r = await(server.initialize(new InitializeParams()));
        server.initialized(new InitializedParams());
        return r;
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    void open(Path file, String text) {
        diagnostics.remove(uri(file));
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
                new TextDocumentItem(uri(file), "manaknight", ++version, text)));
    }

    void change(Path file, String text) {
        diagnostics.remove(uri(file));
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(uri(file), ++version), List.of(new TextDocumentContentChangeEvent(text))));
    }

    /** The diagnostics published for `file` since it was last opened or changed, once they satisfy `done`. */
    List<Diagnostic> diagnostics(Path file, Predicate<List<Diagnostic>> done) throws InterruptedException {
        Instant end = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(end)) {
            List<Diagnostic> d = diagnostics.get(uri(file));
            if (d != null && done.test(d)) return d;
            synchronized (this) {
                wait(50);
            }
        }
        throw new AssertionError("no such diagnostics for " + file + " within " + DEADLINE + ": " + diagnostics.get(uri(file)));
    }

    static String uri(Path file) {
        return file.toUri().toString();
    }

    static TextDocumentIdentifier doc(Path file) {
        return new TextDocumentIdentifier(uri(file));
    }

    /** The position of the `nth` (0-based) occurrence of `needle` in `text`, plus `delta` characters. */
    static Position at(String text, String needle, int nth, int delta) {
        int i = -1;
        for (int k = 0; k <= nth; k++) {
            i = text.indexOf(needle, i + 1);
            if (i < 0) throw new IllegalArgumentException(needle + " #" + nth);
        }
        int offset = i + delta;
        int line = 0, lineStart = 0;
        for (int j = 0; j < offset; j++) {
            if (text.charAt(j) == '\n') {
                line++;
                lineStart = j + 1;
            }
        }
        return new Position(line, offset - lineStart);
    }

    @Override public void publishDiagnostics(PublishDiagnosticsParams p) {
        diagnostics.put(p.getUri(), p.getDiagnostics());
        synchronized (this) {
            notifyAll();
        }
    }

    @Override public void telemetryEvent(Object object) {}

    @Override public void showMessage(MessageParams messageParams) {}

    @Override public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams p) {
        return CompletableFuture.completedFuture(null);
    }

    @Override public void logMessage(MessageParams message) {}

    @Override public void close() throws IOException {
        toServer.close();
    }
}

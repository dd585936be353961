package dev.manaknight.lsp;

import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.format.Formatter;
import dev.manaknight.lang.source.SourceFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.TextDocumentService;

/**
 * The text-document half of the server. Every change re-analyses the document's app and
 * publishes the diagnostics of each of its files (an empty list clears a file's). Requests read
 * the latest analysis. LSP4J delivers messages in order on one thread, so a request always sees
 * the changes sent before it.
 */
final class TextDocuments implements TextDocumentService {
    private final Workspace workspace = new Workspace();
    private final Map<Path, Analysis> current = new ConcurrentHashMap<>();
    private volatile LanguageClient client;

    void connect(LanguageClient client) {
        this.client = client;
    }

    @Override public void didOpen(DidOpenTextDocumentParams params) {
        URI uri = URI.create(params.getTextDocument().getUri());
        workspace.open(uri, params.getTextDocument().getText());
        analyse(uri);
    }

    @Override public void didChange(DidChangeTextDocumentParams params) {
        URI uri = URI.create(params.getTextDocument().getUri());
        // Full synchronisation: the last change holds the whole text.
        var changes = params.getContentChanges();
        if (!changes.isEmpty()) workspace.open(uri, changes.getLast().getText());
        analyse(uri);
    }

    @Override public void didClose(DidCloseTextDocumentParams params) {
        URI uri = URI.create(params.getTextDocument().getUri());
        workspace.close(uri);
        analyse(uri);
    }

    @Override public void didSave(DidSaveTextDocumentParams params) {
        analyse(URI.create(params.getTextDocument().getUri()));
    }

    private void analyse(URI uri) {
        Analysis a = workspace.analyse(uri);
        current.put(a.root(), a);
        LanguageClient c = client;
        if (c == null) return;
        for (String name : a.files().keySet()) {
            c.publishDiagnostics(new PublishDiagnosticsParams(a.path(name).toUri().toString(), Diagnostics.forFile(a, name)));
        }
    }

    /** The document's app as last analysed, and the document's name in it. */
    private record At(Analysis app, String name, int offset) {}

    private At at(String uriText, Position position) {
        URI uri = URI.create(uriText);
        Path file = Workspace.path(uri);
        Analysis a = current.get(file.getParent());
        if (a == null) {
            a = workspace.analyse(uri);
            current.put(a.root(), a);
        }
        String name = a.root().relativize(file).toString().replace('\\', '/');
        SourceFile f = a.files().get(name);
        if (f == null) return null;
        return new At(a, name, position == null ? 0 : Positions.offset(f, position));
    }

    @Override public CompletableFuture<Hover> hover(HoverParams params) {
        At at = at(params.getTextDocument().getUri(), params.getPosition());
        return CompletableFuture.completedFuture(at == null ? null : Hovers.hover(at.app(), at.name(), at.offset()));
    }

    @Override public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(
            DefinitionParams params) {
        At at = at(params.getTextDocument().getUri(), params.getPosition());
        Location l = at == null ? null : Definitions.definition(at.app(), at.name(), at.offset());
        return CompletableFuture.completedFuture(Either.forLeft(l == null ? List.of() : List.of(l)));
    }

    @Override public CompletableFuture<List<? extends Location>> references(org.eclipse.lsp4j.ReferenceParams params) {
        At at = at(params.getTextDocument().getUri(), params.getPosition());
        boolean declaration = params.getContext() != null && params.getContext().isIncludeDeclaration();
        return CompletableFuture.completedFuture(at == null ? List.of()
                : References.references(at.app(), at.name(), at.offset(), declaration));
    }

    @Override public CompletableFuture<org.eclipse.lsp4j.WorkspaceEdit> rename(org.eclipse.lsp4j.RenameParams params) {
        At at = at(params.getTextDocument().getUri(), params.getPosition());
        try {
            return CompletableFuture.completedFuture(at == null ? null
                    : References.rename(at.app(), at.name(), at.offset(), params.getNewName()));
        } catch (org.eclipse.lsp4j.jsonrpc.ResponseErrorException e) { // a name that clashes: the editor shows why
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams params) {
        At at = at(params.getTextDocument().getUri(), params.getPosition());
        if (at == null) return CompletableFuture.completedFuture(Either.forLeft(List.of()));
        Analysis typed = at.app().checked() != null ? at.app()
                : workspace.lastChecked(URI.create(params.getTextDocument().getUri()));
        String text = at.app().files().get(at.name()).text();
        return CompletableFuture.completedFuture(Either.forLeft(
                Completions.complete(at.app(), typed, at.name(), text, at.offset())));
    }

    @Override public CompletableFuture<List<? extends TextEdit>> formatting(DocumentFormattingParams params) {
        At at = at(params.getTextDocument().getUri(), null);
        if (at == null) return CompletableFuture.completedFuture(List.of());
        SourceFile f = at.app().files().get(at.name());
        try {
            String formatted = Formatter.format(f);
            if (formatted.equals(f.text())) return CompletableFuture.completedFuture(List.of());
            var whole = new Range(new Position(0, 0), Positions.position(f, f.text().length()));
            return CompletableFuture.completedFuture(List.of(new TextEdit(whole, formatted)));
        } catch (CompileException e) {
            return CompletableFuture.completedFuture(List.of()); // syntax errors: the diagnostics say where
        }
    }

    @Override public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(
            DocumentSymbolParams params) {
        At at = at(params.getTextDocument().getUri(), null);
        if (at == null) return CompletableFuture.completedFuture(List.of());
        List<Either<SymbolInformation, DocumentSymbol>> out = Symbols.of(at.app().units().get(at.name())).stream()
                .map(Either::<SymbolInformation, DocumentSymbol>forRight).toList();
        return CompletableFuture.completedFuture(out);
    }
}

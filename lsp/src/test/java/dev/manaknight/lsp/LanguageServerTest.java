package dev.manaknight.lsp;

import static dev.manaknight.lsp.Editor.at;
import static dev.manaknight.lsp.Editor.await;
import static dev.manaknight.lsp.Editor.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: `manaknight lsp` driven over a pair of streams as an editor drives it — initialize,
 * open, change, hover, definition, completion, formatting, symbols, shutdown, exit — on copies
 * of the example apps and on broken files.
 */
class LanguageServerTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir Path dir;
    Editor editor;

    @BeforeEach void start() throws Exception {
        editor = new Editor();
        InitializeResult init = editor.initialize();
        var caps = init.getCapabilities();
        assertTrue(caps.getHoverProvider().getLeft());
        assertTrue(caps.getDefinitionProvider().getLeft());
        assertTrue(caps.getReferencesProvider().getLeft());
        assertTrue(caps.getRenameProvider().getLeft());
        assertTrue(caps.getDocumentFormattingProvider().getLeft());
        assertTrue(caps.getDocumentSymbolProvider().getLeft());
        assertEquals(List.of("."), caps.getCompletionProvider().getTriggerCharacters());
    }

    @AfterEach void stop() throws Exception {
        editor.close();
    }

    /** A copy of an example app, opened in the editor; the server reports no diagnostic for it. */
    private Path openExample(String app) throws Exception {
        Path copy = Files.createDirectories(dir.resolve(app));
        Path file = copy.resolve(app + ".mnk");
        String text = Files.readString(EXAMPLES.resolve(app).resolve(app + ".mnk"));
        Files.writeString(file, text);
        editor.open(file, text);
        assertEquals(List.of(), editor.diagnostics(file, d -> true), "the example has no diagnostics");
        return file;
    }

    private String hover(Path file, Position p) throws Exception {
        var h = await(editor.server.getTextDocumentService().hover(new HoverParams(doc(file), p)));
        return h == null ? null : h.getContents().getRight().getValue();
    }

    private List<? extends Location> definition(Path file, Position p) throws Exception {
        return await(editor.server.getTextDocumentService().definition(new DefinitionParams(doc(file), p))).getLeft();
    }

    private Set<String> completion(Path file, Position p) throws Exception {
        List<CompletionItem> items = await(editor.server.getTextDocumentService().completion(new CompletionParams(doc(file), p)))
                .getLeft();
        return items.stream().map(CompletionItem::getLabel).collect(Collectors.toSet());
    }

    @Test void hoverShowsTheTypesOfExpressionsAndTheDeclarationOfANameOnTheExamples() throws Exception {
        Path users = openExample("users");
        String text = Files.readString(users);
        assertEquals("```mnk\nuser: User\n```", hover(users, at(text, "json(user)", 0, 6)));
        String find = hover(users, at(text, "db.findUser(id)", 0, 4));
        assertTrue(find.contains("db.findUser(id): Option<User>"), find);
        assertTrue(find.contains("findUser(id: Int): Option<User> = \"SELECT"), "the query's declaration: " + find);
        assertTrue(hover(users, at(text, "u.name.trim()", 0, 3)).contains("u.name: String"));
        assertTrue(hover(users, at(text, "r.status == 200", 0, 3)).contains("r.status: Int"));
        Path ledger = openExample("ledger");
        String ledgerText = Files.readString(ledger);
        String move = hover(ledger, at(ledgerText, "move(t)", 0, 1));
        assertTrue(move.contains("move(t): Transfer") && move.contains("fn move(t: NewTransfer): Transfer"), move);
    }

    @Test void definitionFindsTypesFunctionsQueriesAndConstants() throws Exception {
        Path ledger = openExample("ledger");
        String text = Files.readString(ledger);
        String uri = Editor.uri(ledger);
        assertEquals(List.of(new Location(uri, new org.eclipse.lsp4j.Range(at(text, "NewTransfer {", 0, 0),
                at(text, "NewTransfer {", 0, "NewTransfer".length())))), definition(ledger, at(text, "List<NewTransfer>", 0, 6)));
        var fn = definition(ledger, at(text, "move(t)", 0, 2));
        assertEquals(at(text, "fn move", 0, 3), fn.getFirst().getRange().getStart());
        var query = definition(ledger, at(text, "db.findAccount(id)", 0, 5));
        assertEquals(at(text, "findAccount(id: Int)", 0, 0), query.getFirst().getRange().getStart());
        assertEquals(List.of(), definition(ledger, at(text, "t.amountCents", 0, 4)), "a field is no declaration of its own");

        Path app = Files.createDirectories(dir.resolve("consts"));
        Path main = app.resolve("main.mnk");
        Path other = app.resolve("limits.mnk");
        Files.writeString(other, "const PAGE: Int = 50\n");
        String mainText = "fn pages(n: Int): Int {\n  return n / PAGE\n}\n";
        Files.writeString(main, mainText);
        editor.open(main, mainText);
        assertEquals(List.of(), editor.diagnostics(main, d -> true));
        var constant = definition(main, at(mainText, "PAGE", 0, 1));
        assertEquals(Editor.uri(other), constant.getFirst().getUri(), "a constant in another file of the app");
        assertEquals(new Position(0, 6), constant.getFirst().getRange().getStart());
    }

    @Test void completionOffersFieldsMethodsEffectOperationsAndQueriesWhileTheTextIsBroken() throws Exception {
        Path users = openExample("users");
        String text = Files.readString(users);
        String typing = text.replace("  let user = db.createUser(u.name, u.email)\n",
                "  let user = db.createUser(u.name, u.email)\n  let x = u.\n  let y = u.name.tr\n  db.\n  log.\n");
        editor.change(users, typing);
        List<Diagnostic> broken = editor.diagnostics(users, d -> !d.isEmpty());
        assertTrue(broken.stream().allMatch(d -> d.getCode().getLeft().startsWith("E01")), "syntax errors: " + broken);
        assertEquals(Set.of("name", "email"), completion(users, at(typing, "let x = u.", 0, "let x = u.".length())).stream()
                .filter(s -> s.equals("name") || s.equals("email") || s.equals("id")).collect(Collectors.toSet()),
                "NewUser's fields, not User's");
        assertEquals(Set.of("trim"), completion(users, at(typing, "u.name.tr", 0, "u.name.tr".length())));
        assertEquals(Set.of("findUser", "listUsers", "createUser"), completion(users, at(typing, "  db.\n", 0, 5)));
        assertEquals(Set.of("info", "warn", "error"), completion(users, at(typing, "  log.\n", 0, 6)));
        Set<String> top = completion(users, at(typing, "api GET /users {", 0, 0));
        assertTrue(top.containsAll(Set.of("User", "NewUser", "api", "fn", "db", "log")), top.toString());
    }

    @Test void diagnosticsAsYouTypeCarryTheCompilersCodesAndHintsAndClearWhenFixed() throws Exception {
        Path users = openExample("users");
        String text = Files.readString(users);
        String typo = text.replace("if u.name.trim().isEmpty()", "if u.nmae.trim().isEmpty()");
        editor.change(users, typo);
        List<Diagnostic> d = editor.diagnostics(users, l -> !l.isEmpty());
        Diagnostic first = d.getFirst();
        assertEquals("E0205", first.getCode().getLeft(), d.toString());
        assertEquals("manaknight", first.getSource());
        assertEquals(at(typo, "nmae", 0, 0), first.getRange().getStart());
        assertTrue(first.getMessage().contains("hint: ") && first.getMessage().contains("name"), first.getMessage());

        String unclosed = text.replace("respond json(db.listUsers(limit))", "respond json(db.listUsers(limit)");
        editor.change(users, unclosed);
        List<Diagnostic> syntax = editor.diagnostics(users, l -> !l.isEmpty());
        assertTrue(syntax.getFirst().getCode().getLeft().startsWith("E01"), syntax.toString());
        assertEquals(org.eclipse.lsp4j.DiagnosticSeverity.Error, syntax.getFirst().getSeverity());

        editor.change(users, text);
        assertEquals(List.of(), editor.diagnostics(users, l -> true), "fixed: the diagnostics are cleared");
    }

    @Test void formattingGivesFmtsLayoutAndNothingForASyntaxError() throws Exception {
        Path app = Files.createDirectories(dir.resolve("ugly"));
        Path file = app.resolve("app.mnk");
        String ugly = "fn twice(x:Int):Int{\n    return x*2   // doubled\n}\n";
        Files.writeString(file, ugly);
        editor.open(file, ugly);
        List<? extends TextEdit> edits = await(editor.server.getTextDocumentService()
                .formatting(new DocumentFormattingParams(doc(file), new FormattingOptions(2, true))));
        assertEquals(1, edits.size());
        assertEquals("fn twice(x: Int): Int {\n  return x * 2 // doubled\n}\n", edits.getFirst().getNewText());
        assertEquals(new Position(0, 0), edits.getFirst().getRange().getStart());
        assertEquals(new Position(3, 0), edits.getFirst().getRange().getEnd());

        editor.change(file, "fn twice(x: Int): Int {\n");
        assertFalse(editor.diagnostics(file, l -> !l.isEmpty()).isEmpty());
        assertEquals(List.of(), await(editor.server.getTextDocumentService()
                .formatting(new DocumentFormattingParams(doc(file), new FormattingOptions(2, true)))));
    }

    @Test void documentSymbolsListRoutesTypesFunctionsAndQueries() throws Exception {
        Path ledger = openExample("ledger");
        List<Either<org.eclipse.lsp4j.SymbolInformation, DocumentSymbol>> symbols = await(editor.server.getTextDocumentService()
                .documentSymbol(new DocumentSymbolParams(doc(ledger))));
        List<String> names = symbols.stream().map(e -> e.getRight().getName()).toList();
        assertTrue(names.containsAll(List.of("Account", "NewTransfer", "move", "balanceOf", "GET /accounts",
                "PUT /accounts/:id/freeze", "db")), names.toString());
        DocumentSymbol db = symbols.stream().map(Either::getRight).filter(s -> s.getName().equals("db"))
                .findFirst().orElseThrow();
        assertTrue(db.getChildren().stream().anyMatch(q -> q.getName().equals("findAccount")), db.toString());
    }

    /** Issue 16: find references and rename for types, functions, queries and constants, from a use or the declaration. */
    @Test void referencesAndRenameFollowTypesFunctionsQueriesAndConstants() throws Exception {
        Path app = Files.createDirectories(dir.resolve("refs"));
        Path main = app.resolve("main.mnk");
        Path other = app.resolve("decls.mnk");
        String otherText = """
                const PAGE: Int = 50

                type Item { id: Int, page: Int }

                db {
                  item(id: Int): Option<Item> = "SELECT id, page FROM items WHERE id = :id"
                }
                """;
        String mainText = """
                fn pages(n: Int): Int {
                  n / PAGE + 1
                }

                fn first(i: Item): Int { pages(i.page) }

                api GET /items/:id {
                  uses { db }
                  match db.item(id) {
                    some(it) -> respond json(Item { id: it.id, page: pages(PAGE) })
                    none -> respond status 404
                  }
                }
                """;
        Files.writeString(other, otherText);
        Files.writeString(main, mainText);
        editor.open(main, mainText);
        assertEquals(List.of(), editor.diagnostics(main, d -> true));
        String o = Editor.uri(other), m = Editor.uri(main);

        assertEquals(List.of(o + "@0:6", m + "@1:6", m + "@9:59"), references(main, at(mainText, "PAGE + 1", 0, 2), true),
                "a constant, from a use, across the app's files");
        assertEquals(List.of(m + "@1:6", m + "@9:59"), references(other, new Position(0, 7), false), "from the declaration");
        assertEquals(List.of(o + "@2:5", o + "@5:24", m + "@4:12", m + "@9:29"),
                references(main, at(mainText, "i: Item", 0, 4), true), "a type: in a signature, a type argument and a record literal, not the fields named `id` or `page`");
        assertEquals(List.of(o + "@5:2", m + "@8:11"), references(main, at(mainText, "db.item", 0, 4), true),
                "a query after db.");
        assertEquals(List.of(m + "@0:3", m + "@4:25", m + "@9:53"), references(main, at(mainText, "pages(i", 0, 1), true));
        assertEquals(List.of(), references(main, at(mainText, "i.page", 0, 3), true), "a field is no declaration of its own");

        var edit = await(editor.server.getTextDocumentService().rename(
                new org.eclipse.lsp4j.RenameParams(doc(main), at(mainText, "fn pages", 0, 4), "pageCount")));
        assertEquals(Set.of(m), edit.getChanges().keySet(), "only the file that uses it");
        String renamed = apply(mainText, edit.getChanges().get(m));
        assertEquals(mainText.replace("pages(", "pageCount("), renamed);
        editor.change(main, renamed);
        assertEquals(List.of(), editor.diagnostics(main, d -> true), "the renamed app still compiles");
        for (String bad : List.of("2x", "fn", "a b", ""))
            assertEquals(null, await(editor.server.getTextDocumentService().rename(
                    new org.eclipse.lsp4j.RenameParams(doc(main), at(renamed, "fn pageCount", 0, 4), bad))), bad);
    }

    /** A local of the same name (parameter, `let`, `var` assigned, lambda, pattern) is not a use, nor renamed. */
    @Test void referencesAndRenameSkipLocalsThatShadowADeclaration() throws Exception {
        Path app = Files.createDirectories(dir.resolve("shadow"));
        Path main = app.resolve("main.mnk");
        String text = """
                const limit: Int = 10

                fn total(n: Int): Int { n * limit }

                fn scaled(total: Int): Int {
                  var limit = total
                  limit = limit + 1
                  let xs = [1, 2].map(limit -> limit * 2)
                  match some(limit) {
                    some(total) -> total
                    none -> limit
                  }
                }

                api GET /n/:n {
                  respond json(total(n) + scaled(limit))
                }
                """;
        Files.writeString(main, text);
        editor.open(main, text);
        assertEquals(List.of(), editor.diagnostics(main, d -> true));
        String m = Editor.uri(main);
        assertEquals(List.of(m + "@0:6", m + "@2:28", m + "@15:33"), references(main, at(text, "limit: Int", 0, 1), true),
                "the constant, not the var, the lambda's parameter or their uses");
        assertEquals(List.of(m + "@2:3", m + "@15:15"), references(main, at(text, "fn total", 0, 4), true),
                "the function, not the parameter or the pattern binding named `total`");
        var edit = await(editor.server.getTextDocumentService().rename(
                new org.eclipse.lsp4j.RenameParams(doc(main), at(text, "fn total", 0, 4), "sum")));
        String renamed = apply(text, edit.getChanges().get(m));
        assertEquals(text.replace("fn total(", "fn sum(").replace("json(total(", "json(sum("), renamed);
        editor.change(main, renamed);
        assertEquals(List.of(), editor.diagnostics(main, d -> true), "the renamed app still compiles");

        for (var clash : List.of(List.of("fn sum", "scaled", "`scaled` is declared already, at main.mnk:5"),
                List.of("fn sum", "n", "a local `n` at main.mnk:15 would take the place of `sum` at main.mnk:16"),
                List.of("const limit", "n", "a local `n` at main.mnk:3 would take the place of `limit` at main.mnk:3"))) {
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> editor.server.getTextDocumentService()
                    .rename(new org.eclipse.lsp4j.RenameParams(doc(main), at(renamed, clash.get(0), 0, clash.get(0).length() - 1),
                            clash.get(1)))
                    .get(10, java.util.concurrent.TimeUnit.SECONDS), clash.get(1));
            assertEquals(clash.get(2), e.getCause().getMessage());
        }
    }

    /** `uri@line:character` of each reference, in the server's order. */
    private List<String> references(Path file, Position p, boolean declaration) throws Exception {
        var params = new org.eclipse.lsp4j.ReferenceParams(doc(file), p, new org.eclipse.lsp4j.ReferenceContext(declaration));
        return await(editor.server.getTextDocumentService().references(params)).stream()
                .map(l -> l.getUri() + "@" + l.getRange().getStart().getLine() + ":" + l.getRange().getStart().getCharacter())
                .toList();
    }

    /** `text` with `edits` (on distinct places of one line each) applied, last first. */
    private static String apply(String text, List<TextEdit> edits) {
        var sorted = edits.stream().sorted(java.util.Comparator.comparing((TextEdit e) -> e.getRange().getStart().getLine())
                .thenComparing(e -> e.getRange().getStart().getCharacter()).reversed()).toList();
        var lines = new java.util.ArrayList<>(List.of(text.split("\n", -1)));
        for (TextEdit e : sorted) {
            int line = e.getRange().getStart().getLine();
            String l = lines.get(line);
            lines.set(line, l.substring(0, e.getRange().getStart().getCharacter()) + e.getNewText()
                    + l.substring(e.getRange().getEnd().getCharacter()));
        }
        return String.join("\n", lines);
    }

    @Test void shutdownThenExitEndsTheServerWithZero() throws Exception {
        await(editor.server.shutdown());
        editor.server.exit();
        assertEquals(0, editor.exitCode.get(Editor.DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test void aClosedStreamWithoutShutdownEndsTheServerWithOne() throws Exception {
        editor.close();
        assertEquals(1, editor.exitCode.get(Editor.DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    }
}

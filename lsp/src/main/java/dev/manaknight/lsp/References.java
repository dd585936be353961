package dev.manaknight.lsp;

import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.Lexer;
import dev.manaknight.lang.syntax.Token;
import dev.manaknight.lang.syntax.TokenKind;
import dev.manaknight.lang.types.CheckedApp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * Find references and rename, for the app's types, enums, functions, constants and `db` queries,
 * from the name under the cursor (at a use or at the declaration). A use is found by its tokens,
 * in every file of the app: a query's name after `db.`; any other declaration's name where it is
 * not after a `.` (a field or method) and not before a `:` (a field, parameter or record-literal
 * name of its own) and not where the checker found a local variable of that name (a parameter,
 * `let`, loop, pattern or lambda binding that shadows it, and its reads and assignments). When
 * the app does not check, locals are not known and every such token counts (lsp.md).
 */
final class References {
    private References() {}

    /** Every use of the declaration at `offset` in `name`, and the declaration itself when `declaration`. */
    static List<Location> references(Analysis app, String name, int offset, boolean declaration) {
        Declarations.Named d = target(app, name, offset);
        if (d == null) return List.of();
        var out = new ArrayList<Location>();
        for (Token t : uses(app, d, declaration)) out.add(location(app, t));
        return out;
    }

    /**
     * The edits that rename the declaration at `offset` and its uses to `newName`; null when the
     * cursor is on no declared name, or `newName` is not a name the language accepts there.
     */
    static WorkspaceEdit rename(Analysis app, String name, int offset, String newName) {
        Declarations.Named d = target(app, name, offset);
        if (d == null || !isName(newName)) return null;
        List<Token> uses = uses(app, d, true);
        String clash = clash(app, d, newName, uses);
        if (clash != null)
            throw new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams, clash, null));
        Map<String, List<TextEdit>> edits = new HashMap<>();
        for (Token t : uses) {
            String uri = app.path(t.span().file().name()).toUri().toString();
            edits.computeIfAbsent(uri, u -> new ArrayList<>()).add(new TextEdit(Positions.range(t.span()), newName));
        }
        return new WorkspaceEdit(edits);
    }

    /**
     * Why renaming `d` to `newName` would change what the program means, or null: another
     * declaration of that name (a query among queries, else a type, enum, function or constant),
     * or, for a function or constant, a local of that name in a function that uses `d`, which
     * would capture the renamed use. Checked only where the app checks (locals known).
     */
    private static String clash(Analysis app, Declarations.Named d, String newName, List<Token> uses) {
        boolean query = d.kind() == Declarations.Kind.QUERY;
        Declarations.Named other = Declarations.find(app, newName, query);
        if (other != null && other != d)
            return "`" + newName + "` is declared already, at " + where(other.name().span());
        if (app.checked() == null || (d.kind() != Declarations.Kind.FUNCTION && d.kind() != Declarations.Kind.CONSTANT))
            return null;
        for (CheckedApp.Fn f : app.checked().functions()) {
            if (f.span() == null) continue;
            Token use = null; // the first use of `d` in f (not the name declared)
            for (Token t : uses)
                if (t.span().start() != d.name().span().start() && inside(t.span(), f.span())) {
                    use = t;
                    break;
                }
            if (use == null) continue;
            for (Span local : app.checked().localNames())
                if (local.end() - local.start() == newName.length() && local.file().text().startsWith(newName, local.start())
                        && inside(local, f.span()))
                    return "a local `" + newName + "` at " + where(local) + " would take the place of `"
                            + d.name().name() + "` at " + where(use.span());
        }
        return null;
    }

    private static boolean inside(Span s, Span outer) {
        return s.file().name().equals(outer.file().name()) && s.start() >= outer.start() && s.end() <= outer.end();
    }

    private static String where(Span s) {
        return s.file().name() + ":" + s.line();
    }

    /** One identifier, not a keyword: what a declaration may be called. */
    static boolean isName(String text) {
        if (text == null || text.isEmpty()) return false;
        var lexer = new Lexer(new SourceFile("rename", text), new ArrayList<>());
        Token first = lexer.next();
        return first.kind() == TokenKind.IDENT && first.text().equals(text) && lexer.next().kind() == TokenKind.EOF;
    }

    /** The declaration whose name the cursor is on: at a use (as go to definition finds it) or at the declaration. */
    private static Declarations.Named target(Analysis app, String name, int offset) {
        SourceFile file = app.files().get(name);
        if (file == null) return null;
        for (Declarations.Named n : Declarations.of(app))
            if (n.name().span().file().name().equals(name) && Positions.contains(n.name().span(), offset)) return n;
        Tokens.NameAt at = Tokens.nameAt(file, offset);
        if (at == null) return null;
        Token receiver = at.receiver();
        boolean afterDb = receiver != null && receiver.isWord("db");
        if (receiver != null && !afterDb) return null; // a field, method or effect operation: nothing declared to follow
        return Declarations.find(app, at.name().text(), afterDb);
    }

    /** The tokens that name `d`, file by file in the app's order, each in text order. */
    private static List<Token> uses(Analysis app, Declarations.Named d, boolean declaration) {
        String wanted = d.name().name();
        boolean query = d.kind() == Declarations.Kind.QUERY;
        Set<String> locals = new HashSet<>();
        if (app.checked() != null)
            for (Span s : app.checked().localNames()) locals.add(s.file().name() + ":" + s.start());
        var out = new ArrayList<Token>();
        for (SourceFile f : app.files().values()) {
            List<Token> tokens = tokens(f);
            for (int i = 0; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.kind() != TokenKind.IDENT || !t.text().equals(wanted)) continue;
                boolean isDeclaration = f.name().equals(d.name().span().file().name())
                        && t.span().start() == d.name().span().start();
                if (isDeclaration) {
                    if (declaration) out.add(t);
                    continue;
                }
                if (locals.contains(f.name() + ":" + t.span().start())) continue; // a local of the same name
                boolean afterDot = i >= 1 && tokens.get(i - 1).kind() == TokenKind.DOT;
                if (query) {
                    if (afterDot && i >= 2 && tokens.get(i - 2).isWord("db")) out.add(t);
                } else if (!afterDot && !(i + 1 < tokens.size() && tokens.get(i + 1).kind() == TokenKind.COLON)) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static List<Token> tokens(SourceFile f) {
        var lexer = new Lexer(f, new ArrayList<>());
        var out = new ArrayList<Token>();
        for (Token t = lexer.next(); t.kind() != TokenKind.EOF; t = lexer.next()) out.add(t);
        return out;
    }

    private static Location location(Analysis app, Token t) {
        return new Location(app.path(t.span().file().name()).toUri().toString(), Positions.range(t.span()));
    }
}

package dev.manaknight.lang.syntax;

import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Ident;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The parsers' shared view of the token stream: lookahead, the newline and no-struct context,
 * expectations that report a diagnostic and abort, and the nesting guard.
 */
final class Cursor {
    /** Deepest nesting of expressions, blocks, patterns and types: far beyond real code, and
     *  well inside the JVM's default thread stack, so hostile input cannot overflow it. */
    static final int MAX_NESTING = 150;

    /** Unwinds to the nearest recovery point after a diagnostic has been reported. */
    static final class Abort extends RuntimeException {
        Abort() {
            super(null, null, false, false);
        }
    }

    final SourceFile file;
    final Lexer lexer;
    final List<Diagnostic> diagnostics;
    private final ArrayList<Token> ahead = new ArrayList<>();
    private int prevEnd;
    private TokenKind prevKind = TokenKind.EOF;
    private int consumed;
    private int depth;
    private boolean tooDeepReported;
    private int lastUnclosedAt = -1;
    private int itemStart = -1;
    private boolean ignoreNewlines;
    private boolean noStruct;

    Cursor(SourceFile file, Lexer lexer, List<Diagnostic> diagnostics, int start, int depth) {
        this.file = file;
        this.lexer = lexer;
        this.diagnostics = diagnostics;
        this.prevEnd = start;
        this.depth = depth;
    }

    // ---- lookahead -------------------------------------------------------------------------

    Token peek() {
        return peek(0);
    }

    Token peek(int n) {
        while (ahead.size() <= n) ahead.add(lexer.next());
        return ahead.get(n);
    }

    boolean at(TokenKind kind) {
        return peek().kind() == kind;
    }

    boolean atWord(String word) {
        return peek().isWord(word);
    }

    /** Consumes the current token (EOF stays put). */
    Token advance() {
        Token t = peek();
        if (t.kind() != TokenKind.EOF) {
            ahead.removeFirst();
            consumed++;
        }
        prevEnd = t.span().end();
        prevKind = t.kind();
        return t;
    }

    boolean eat(TokenKind kind) {
        if (!at(kind)) return false;
        advance();
        return true;
    }

    Token expect(TokenKind kind) {
        if (at(kind)) return advance();
        throw expected(kind.describe());
    }

    /** How many tokens have been consumed: recovery loops compare it to guarantee progress. */
    int position() {
        return consumed;
    }

    /** Marks the start of a statement, arm, declaration or list item, for {@link #missingAt}. */
    void startItem() {
        itemStart = consumed;
    }

    /** The lexer, positioned right after the last consumed token; only when nothing is peeked. */
    Lexer lexerAfterCurrent() {
        if (!ahead.isEmpty()) throw new IllegalStateException("lookahead pending: " + ahead);
        return lexer;
    }

    int prevEnd() {
        return prevEnd;
    }

    /** From `start` to the end of the last consumed token. */
    Span spanFrom(int start) {
        return file.span(start, Math.max(start, prevEnd));
    }

    // ---- context ---------------------------------------------------------------------------

    /** True when the next token continues the expression before it rather than starting a new statement. */
    boolean continuesLine() {
        Token t = peek();
        return ignoreNewlines || !t.newlineBefore();
    }

    boolean noStruct() {
        return noStruct;
    }

    /** Runs `body` with the given newline and no-struct context, restoring it afterwards. */
    <T> T inContext(boolean ignoreNewlines, boolean noStruct, Supplier<T> body) {
        boolean savedNl = this.ignoreNewlines;
        boolean savedNs = this.noStruct;
        this.ignoreNewlines = ignoreNewlines;
        this.noStruct = noStruct;
        try {
            return body.get();
        } finally {
            this.ignoreNewlines = savedNl;
            this.noStruct = savedNs;
        }
    }

    /** Enters one level of nesting; call {@link #exit} in a finally. */
    void enter() {
        if (++depth > MAX_NESTING) {
            depth--;
            if (!tooDeepReported) {
                tooDeepReported = true;
                Token t = peek();
                report(Diagnostic.error(ErrorCode.TOO_DEEP, "nesting is too deep", t.span(),
                        "more than " + MAX_NESTING + " levels of nesting here")
                        .withHint("split the expression with `let` bindings or functions"));
            }
            throw new Abort();
        }
    }

    void exit() {
        depth--;
    }

    int depth() {
        return depth;
    }

    // ---- diagnostics -----------------------------------------------------------------------

    void report(Diagnostic d) {
        diagnostics.add(d);
    }

    /**
     * Where a missing token should have been. Usually the current token; but when that starts a
     * later line after a line left unfinished (`let x =`, `a +`), or is the end of the file, the
     * place right after the previous token. A bad token that starts an item is itself the culprit.
     */
    Span missingAt() {
        Token t = peek();
        if (consumed == itemStart && t.kind() != TokenKind.EOF) return t.span();
        boolean lineWasComplete = switch (prevKind) {
            case LBRACE, RBRACE, COMMA, SEMICOLON, EOF -> true;
            default -> false;
        };
        if (t.kind() == TokenKind.EOF || t.newlineBefore() && !lineWasComplete) return file.span(prevEnd, prevEnd);
        return t.span();
    }

    /** Reports "expected X, found Y" (unless the lexer already reported Y) and returns the abort to throw. */
    Abort expected(String what) {
        return expected(what, null);
    }

    Abort expected(String what, String hint) {
        Token t = peek();
        if (t.kind() != TokenKind.ERROR) {
            var d = Diagnostic.error(ErrorCode.EXPECTED, "expected " + what + ", found " + t.describe(),
                    missingAt(), "expected " + what);
            report(hint == null ? d : d.withHint(hint));
        }
        return new Abort();
    }

    /** A declaration keyword at the very start of a line: whatever was open before it was never closed. */
    boolean atDeclarationLine() {
        Token t = peek();
        return t.newlineBefore() && t.span().column() == 1 && Parser.isDeclarationStart(this);
    }

    /** Reports that `open` is not closed where `close` (or, in a list, a `,`) was expected. */
    Abort unclosed(Token open, TokenKind close, boolean inList) {
        if (peek().kind() == TokenKind.ERROR) return new Abort();
        Diagnostic d = unclosedDiagnostic(open, close, inList);
        reportUnclosed(atFatArrow() ? d.withHint(FAT_ARROW_HINT) : d);
        return new Abort();
    }

    static final String FAT_ARROW_HINT = "arrows are written `->`: `x -> x * 2`, `some(u) -> …`";

    /** `=>` (lexed as `=` `>`), the arrow of other languages. */
    boolean atFatArrow() {
        Token eq = peek();
        return eq.kind() == TokenKind.EQ && peek(1).kind() == TokenKind.GT
                && peek(1).span().start() == eq.span().end();
    }

    /** Reports an unclosed delimiter, once per place: when an inner `{` is unclosed at the end of
     *  the file, the outer ones are too, but that is the same mistake. */
    void reportUnclosed(Diagnostic d) {
        if (d.span().start() == lastUnclosedAt) return;
        lastUnclosedAt = d.span().start();
        report(d);
    }

    /** "expected `}`, found end of file", with a secondary label at the opening `{`. */
    Diagnostic unclosedDiagnostic(Token open, TokenKind close, boolean inList) {
        Token t = peek();
        String expected = (inList && t.kind() != TokenKind.EOF ? "`,` or " : "") + close.describe();
        String what = open.kind() == TokenKind.LBRACE && !inList ? "block" : open.describe();
        String label = inList ? "expected " + expected : "expected " + close.describe() + " to close the " + what;
        // A closer that is missing altogether belongs at the end of the last line before what follows.
        Span at = !inList && t.newlineBefore() ? file.span(prevEnd, prevEnd) : missingAt();
        return Diagnostic.error(ErrorCode.UNCLOSED, "expected " + expected + ", found " + t.describe(), at, label)
                .withLabel(open.span(), what + " opened here");
    }

    /** `NAME`, as an identifier. */
    Ident ident(String what) {
        Token t = peek();
        if (t.kind() == TokenKind.IDENT) {
            advance();
            return new Ident(t.text(), t.span());
        }
        if (t.kind().isKeyword() && !t.newlineBefore()) {
            throw expected(what, "`" + t.text() + "` is a keyword and cannot be used as a name here");
        }
        throw expected(what);
    }

    /** A field name before `:`, where a keyword is unambiguous: `type Event { type: String }`. */
    Ident fieldName(String what) {
        Token t = peek();
        if (t.kind().isKeyword() && peek(1).kind() == TokenKind.COLON) {
            advance();
            return new Ident(t.text(), t.span());
        }
        return ident(what);
    }

    /**
     * `open item (',' item)* ','? close`, where `open` was just consumed. In braces, a new line
     * also separates items and newlines are significant; in parentheses and brackets they are not.
     */
    <T> List<T> list(Token open, TokenKind close, Supplier<T> item) {
        boolean braces = close == TokenKind.RBRACE;
        return inContext(!braces, false, () -> {
            var out = new ArrayList<T>();
            while (!at(close)) {
                if (at(TokenKind.EOF) || braces && atDeclarationLine()) throw unclosed(open, close, false);
                startItem();
                out.add(item.get());
                if (eat(TokenKind.COMMA)) continue;
                if (at(close)) break;
                if (braces && peek().newlineBefore()) continue;
                throw unclosed(open, close, true);
            }
            advance();
            return out;
        });
    }

    /** Reports a diagnostic and returns the abort to throw. */
    Abort fail(Diagnostic d) {
        report(d);
        return new Abort();
    }
}

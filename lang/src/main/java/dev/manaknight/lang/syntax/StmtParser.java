package dev.manaknight.lang.syntax;

import static dev.manaknight.lang.syntax.TokenKind.*;

import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Block;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Ident;
import dev.manaknight.lang.syntax.ast.Stmt;
import dev.manaknight.lang.syntax.ast.TypeExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Blocks and statements, with the statement-level error recovery. */
final class StmtParser {
    /** Words that declare an `api` input, but only at the top of an `api` body. */
    static final Set<String> INPUT_WORDS = Set.of("param", "query", "header", "body", "raw");

    private final Cursor in;
    private final ExprParser exprs;

    StmtParser(Cursor in) {
        this.in = in;
        this.exprs = new ExprParser(in, this);
    }

    ExprParser exprs() {
        return exprs;
    }

    // block -> '{' stmt* '}'
    Block block() {
        Token open = in.expect(LBRACE);
        return blockRest(open, new ArrayList<>());
    }

    /** The statements after `open` up to its `}`; resynchronises after each broken statement. */
    Block blockRest(Token open, List<Stmt> stmts) {
        in.enter();
        try {
            return in.inContext(false, false, () -> {
                while (true) {
                    Token t = in.peek();
                    if (t.kind() == RBRACE) {
                        in.advance();
                        break;
                    }
                    if (t.kind() == EOF || in.atDeclarationLine()) {
                        in.reportUnclosed(in.unclosedDiagnostic(open, RBRACE, false));
                        break;
                    }
                    if (in.eat(SEMICOLON)) continue;
                    in.startItem();
                    int before = in.position();
                    try {
                        stmts.add(statement());
                        endStatement();
                    } catch (Cursor.Abort abort) {
                        if (in.position() == before) in.advance();
                        syncStatement();
                    }
                }
                return new Block(stmts, in.spanFrom(open.span().start()));
            });
        } finally {
            in.exit();
        }
    }

    /** After a statement: a `;`, a new line, `}` or the end must follow. */
    void endStatement() {
        Token t = in.peek();
        if (t.kind() == SEMICOLON) {
            in.advance();
            return;
        }
        if (t.kind() == RBRACE || t.kind() == EOF || t.newlineBefore()) return;
        if (t.kind() == ERROR) throw new Cursor.Abort();
        String hint = switch (t.kind()) {
            case DOT_DOT -> "a range `a..b` is only allowed after `for … in`";
            case ARROW -> "a lambda `x -> …` can only be a call argument";
            case LBRACE -> "only `Upper` type names start a record literal; a block needs `if`, `for` or `match`";
            default -> "put each statement on its own line, or separate them with `;`";
        };
        throw in.fail(Diagnostic.error(ErrorCode.STATEMENT_END, "expected the end of the statement, found "
                + t.describe(), t.span(), "expected a new line or `;` before this").withHint(hint));
    }

    /**
     * Skips to where the next statement probably starts: a new line outside any bracket opened
     * since the error, a `;`, the `}` of the enclosing block, or a declaration at a line start.
     */
    void syncStatement() {
        int depth = 0;
        while (true) {
            Token t = in.peek();
            TokenKind k = t.kind();
            if (k == EOF) return;
            if (in.atDeclarationLine()) return;
            if (depth == 0) {
                if (k == RBRACE) return;
                if (k == SEMICOLON) {
                    in.advance();
                    return;
                }
                if (t.newlineBefore() && k != RPAREN && k != RBRACKET && k != DOT && k != OR_OR && k != AND_AND) return;
            }
            switch (k) {
                case LPAREN, LBRACKET, LBRACE -> depth++;
                case RPAREN, RBRACKET, RBRACE -> depth = Math.max(0, depth - 1);
                default -> { }
            }
            in.advance();
        }
    }

    // stmt -> let | for | while | break | continue | return | respond | expect | assign | expr
    Stmt statement() {
        Token t = in.peek();
        return switch (t.kind()) {
            case LET, VAR -> let();
            case FOR -> forLoop();
            case WHILE -> whileLoop();
            case BREAK -> new Stmt.Break(in.advance().span());
            case CONTINUE -> new Stmt.Continue(in.advance().span());
            case RETURN -> returnStmt();
            case RESPOND -> respond();
            case EXPECT -> {
                in.advance();
                Expr condition = exprs.expr();
                yield new Stmt.Expect(condition, in.spanFrom(t.span().start()));
            }
            case TYPE, ENUM, CONST, FN, API, TEST -> throw misplaced(t.span(),
                    "a `" + t.text() + "` declaration is only allowed at the top level",
                    "declarations cannot be nested; move it out of the block");
            case IDENT -> identStatement(t);
            default -> expressionStatement();
        };
    }

    // identStmt -> assign | expr        (and clear errors for a misplaced `uses` or input)
    private Stmt identStatement(Token t) {
        Token next = in.peek(1);
        if (next.kind() == EQ) return assign();
        if (t.text().equals("uses") && next.kind() == LBRACE) {
            throw misplaced(t.span(), "`uses` must come first in the body",
                    "move `uses { … }` to the top of the `fn`, `api` or `test` body");
        }
        if (INPUT_WORDS.contains(t.text()) && next.kind() == IDENT && in.peek(2).kind() == COLON) {
            throw misplaced(t.span(), "`" + t.text() + "` inputs are only declared at the top of an `api` body",
                    "declare inputs right after `uses { … }` in an `api` handler");
        }
        return expressionStatement();
    }

    // exprStmt -> expr                 (`target = e` for a non-variable target is an error)
    private Stmt expressionStatement() {
        Expr e = exprs.expr();
        if (in.at(EQ)) {
            throw in.fail(Diagnostic.error(ErrorCode.BAD_ASSIGN_TARGET, "only a variable can be assigned",
                    e.span(), "not a variable").withHint("records and lists are immutable: build a new value, "
                    + "e.g. `u = u with { name: n }`"));
        }
        return new Stmt.ExprStmt(e, e.span());
    }

    /** A `match` arm written without braces: a `respond`, a `return` or an expression. */
    Stmt armStatement() {
        Token t = in.peek();
        if (t.kind() == LET || t.kind() == VAR) {
            throw misplaced(t.span(), "a `" + t.text() + "` in a match arm needs braces",
                    "write the arm body as `{ " + t.text() + " … }`");
        }
        return statement();
    }

    // let -> ('let' | 'var') NAME (':' type)? '=' expr
    private Stmt let() {
        Token kw = in.advance();
        Ident name = in.ident("a variable name");
        TypeExpr type = in.eat(COLON) ? TypeParser.type(in) : null;
        in.expect(EQ);
        Expr value = exprs.expr();
        return new Stmt.Let(name, kw.kind() == VAR, type, value, in.spanFrom(kw.span().start()));
    }

    // assign -> NAME '=' expr
    private Stmt assign() {
        Ident target = in.ident("a variable name");
        in.expect(EQ);
        Expr value = exprs.expr();
        return new Stmt.Assign(target, value, in.spanFrom(target.span().start()));
    }

    // for -> 'for' NAME 'in' expr<no-struct> ('..' expr<no-struct>)? block
    private Stmt forLoop() {
        Token kw = in.advance();
        Ident var = in.at(UNDERSCORE) ? underscore() : in.ident("a loop variable");
        in.expect(IN);
        int start = in.peek().span().start();
        Expr from = exprs.head();
        Expr iterable = from;
        if (in.eat(DOT_DOT)) {
            Expr to = exprs.head();
            iterable = new Expr.Range(from, to, in.spanFrom(start));
        }
        var body = block();
        return new Stmt.For(var, iterable, body, in.spanFrom(kw.span().start()));
    }

    // while -> 'while' expr<no-struct> block
    private Stmt whileLoop() {
        Token kw = in.advance();
        Expr condition = exprs.head();
        var body = block();
        return new Stmt.While(condition, body, in.spanFrom(kw.span().start()));
    }

    private Ident underscore() {
        Token t = in.advance();
        return new Ident(t.text(), t.span());
    }

    // return -> 'return' expr?
    private Stmt returnStmt() {
        Token kw = in.advance();
        Token next = in.peek();
        boolean bare = next.kind() == RBRACE || next.kind() == EOF || next.kind() == SEMICOLON
                || next.kind() == COMMA || !in.continuesLine();
        Expr value = bare ? null : exprs.expr();
        return new Stmt.Return(value, in.spanFrom(kw.span().start()));
    }

    // respond -> 'respond' 'keep'? ('status' expr<postfix>)? (('json' | 'text') '(' expr ')')? headers?
    //            (at least one of the status and the body; `keep`: a 4xx keeps the request's writes)
    // headers -> 'headers' '{' (STRING ':' expr ((',' | newline) STRING ':' expr)*)? '}'
    private Stmt respond() {
        Token kw = in.advance();
        Span keep = null;
        if (in.atWord("keep") && in.continuesLine()) keep = in.advance().span();
        Expr status = null;
        if (in.atWord("status") && in.continuesLine()) {
            in.advance();
            status = exprs.expr(Precedence.UNARY);
        }
        Stmt.BodyKind kind = Stmt.BodyKind.NONE;
        Expr body = null;
        Token t = in.peek();
        if ((t.isWord("json") || t.isWord("text")) && in.continuesLine() && in.peek(1).kind() == LPAREN) {
            in.advance();
            kind = t.text().equals("json") ? Stmt.BodyKind.JSON : Stmt.BodyKind.TEXT;
            body = exprs.singleArgument();
        }
        if (status == null && body == null) {
            throw in.expected("`json(…)`, `text(…)` or `status N` after `respond`",
                    "write `respond json(value)`, `respond text(s)` or `respond status 404`");
        }
        List<Stmt.Header> headers = List.of();
        // `headers { … }` may also start the next line: nothing else can start with it.
        if (in.atWord("headers") && in.peek(1).kind() == LBRACE) {
            in.advance();
            headers = in.list(in.advance(), RBRACE, exprs::header);
        }
        return new Stmt.Respond(keep, status, kind, body, headers, in.spanFrom(kw.span().start()));
    }

    private Cursor.Abort misplaced(Span span, String title, String hint) {
        return in.fail(Diagnostic.error(ErrorCode.MISPLACED, title, span, "not allowed here").withHint(hint));
    }
}

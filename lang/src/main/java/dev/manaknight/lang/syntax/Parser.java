package dev.manaknight.lang.syntax;

import static dev.manaknight.lang.syntax.TokenKind.*;

import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.syntax.ast.Block;
import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Ident;
import dev.manaknight.lang.syntax.ast.SourceUnit;
import dev.manaknight.lang.syntax.ast.Stmt;
import dev.manaknight.lang.syntax.ast.TypeExpr;
import dev.manaknight.lang.model.HttpMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses one `.mnk` file into a {@link SourceUnit}: declarations here, statements in
 * {@link StmtParser}, expressions in {@link ExprParser}. Never throws on bad input: every
 * mistake becomes a diagnostic, and parsing resumes at the next statement or declaration.
 */
public final class Parser {
    private final Cursor in;
    private final StmtParser stmts;
    private final ExprParser exprs;

    private Parser(Cursor in) {
        this.in = in;
        this.stmts = new StmtParser(in);
        this.exprs = stmts.exprs();
    }

    /** Parses `file`; diagnostics come back in source order. */
    public static ParseResult parse(SourceFile file) {
        var diagnostics = new ArrayList<Diagnostic>();
        var cursor = new Cursor(file, new Lexer(file, diagnostics), diagnostics, 0, 0);
        List<Decl> decls = new Parser(cursor).sourceUnit();
        diagnostics.sort(Comparator.comparingInt(d -> d.span().start()));
        return new ParseResult(new SourceUnit(file, decls), diagnostics);
    }

    /** True at `type enum const fn api test`, or at `db {` or `config {`. */
    static boolean isDeclarationStart(Cursor in) {
        Token t = in.peek();
        return switch (t.kind()) {
            case TYPE, ENUM, CONST, FN, API, TEST -> true;
            case IDENT -> (t.text().equals("db") || t.text().equals("config")) && in.peek(1).kind() == LBRACE;
            default -> false;
        };
    }

    // unit -> decl*
    private List<Decl> sourceUnit() {
        var decls = new ArrayList<Decl>();
        while (!in.at(EOF)) {
            in.startItem();
            int before = in.position();
            try {
                Decl d = declaration();
                if (d != null) decls.add(d);
            } catch (Cursor.Abort abort) {
                if (in.position() == before) in.advance();
                syncDeclaration();
            }
        }
        return decls;
    }

    /** Skips to the next declaration keyword that starts a line. */
    private void syncDeclaration() {
        while (!in.at(EOF)) {
            if (in.peek().newlineBefore() && isDeclarationStart(in)) return;
            in.advance();
        }
    }

    // decl -> typeDecl | enumDecl | constDecl | fnDecl | dbDecl | configDecl | apiDecl | testDecl
    private Decl declaration() {
        Token t = in.peek();
        return switch (t.kind()) {
            case TYPE -> typeDecl();
            case ENUM -> enumDecl();
            case CONST -> constDecl();
            case FN -> fnDecl();
            case API -> apiDecl();
            case TEST -> testDecl();
            case IDENT -> {
                if (isDeclarationStart(in)) yield t.text().equals("db") ? dbDecl() : configDecl();
                throw notADeclaration(t);
            }
            default -> throw notADeclaration(t);
        };
    }

    private Cursor.Abort notADeclaration(Token t) {
        String hint = switch (t.kind()) {
            case LET, VAR -> "there is no top-level `" + t.text() + "`: state lives in a request or behind "
                    + "an effect; use `const` for a constant";
            default -> "a file holds `type`, `enum`, `const`, `fn`, `db`, `config`, `api` and `test` declarations";
        };
        return in.expected("a declaration", hint);
    }

    // typeDecl -> 'type' NAME '{' (field ((',' | newline) field)*)? '}'
    private Decl typeDecl() {
        Token kw = in.advance();
        Ident name = in.ident("a type name");
        List<Decl.Field> fields = in.list(in.expect(LBRACE), RBRACE, this::field);
        return new Decl.TypeDecl(name, fields, in.spanFrom(kw.span().start()));
    }

    // field -> NAME ':' type
    private Decl.Field field() {
        Ident name = in.fieldName("a field name");
        in.expect(COLON);
        TypeExpr type = TypeParser.type(in);
        return new Decl.Field(name, type, in.spanFrom(name.span().start()));
    }

    // enumDecl -> 'enum' NAME '{' (variant ((',' | newline) variant)*)? '}'
    private Decl enumDecl() {
        Token kw = in.advance();
        Ident name = in.ident("an enum name");
        List<Decl.Variant> variants = in.list(in.expect(LBRACE), RBRACE, this::variant);
        return new Decl.EnumDecl(name, variants, in.spanFrom(kw.span().start()));
    }

    // variant -> NAME ('(' field (',' field)* ')')?
    private Decl.Variant variant() {
        Ident name = in.ident("a variant name");
        List<Decl.Field> fields = List.of();
        if (in.at(LPAREN) && in.continuesLine()) fields = in.list(in.advance(), RPAREN, this::field);
        return new Decl.Variant(name, fields, in.spanFrom(name.span().start()));
    }

    // constDecl -> 'const' NAME (':' type)? '=' expr
    private Decl constDecl() {
        Token kw = in.advance();
        Ident name = in.ident("a constant name");
        TypeExpr type = in.eat(COLON) ? TypeParser.type(in) : null;
        in.expect(EQ);
        Expr value = in.inContext(false, false, exprs::expr);
        return new Decl.ConstDecl(name, type, value, in.spanFrom(kw.span().start()));
    }

    // fnDecl -> 'fn' NAME '(' (param (',' param)*)? ')' (':' type)? body
    private Decl fnDecl() {
        Token kw = in.advance();
        Ident name = in.ident("a function name");
        List<Decl.Param> params = in.list(in.expect(LPAREN), RPAREN, this::param);
        TypeExpr result = in.eat(COLON) ? TypeParser.type(in) : null;
        Body body = body(false);
        return new Decl.FnDecl(name, params, result, body.uses, body.block, in.spanFrom(kw.span().start()));
    }

    // param -> NAME ':' type
    private Decl.Param param() {
        Ident name = in.ident("a parameter name");
        in.expect(COLON);
        TypeExpr type = TypeParser.type(in);
        return new Decl.Param(name, type, in.spanFrom(name.span().start()));
    }

    // dbDecl -> 'db' '{' (query ((',' | newline) query)*)? '}'
    private Decl dbDecl() {
        Token kw = in.advance();
        List<Decl.Query> queries = in.list(in.expect(LBRACE), RBRACE, this::query);
        return new Decl.DbDecl(queries, in.spanFrom(kw.span().start()));
    }

    // configDecl -> 'config' '{' (setting ((',' | newline) setting)*)? '}'
    private Decl configDecl() {
        Token kw = in.advance();
        List<Decl.Setting> settings = in.list(in.expect(LBRACE), RBRACE, this::setting);
        return new Decl.ConfigDecl(settings, in.spanFrom(kw.span().start()));
    }

    // setting -> NAME ':' type ('=' expr)?
    private Decl.Setting setting() {
        Ident name = in.ident("a configuration key");
        in.expect(COLON);
        TypeExpr type = TypeParser.type(in);
        Expr dflt = in.eat(EQ) ? in.inContext(false, false, exprs::expr) : null;
        return new Decl.Setting(name, type, dflt, in.spanFrom(name.span().start()));
    }

    // query -> NAME '(' (param (',' param)*)? ')' ':' type '=' STRING
    private Decl.Query query() {
        Ident name = in.ident("a query name");
        List<Decl.Param> params = in.list(in.expect(LPAREN), RPAREN, this::param);
        if (!in.at(COLON)) throw in.expected("`:` and the result type", "every query declares its result, "
                + "e.g. `: Option<User>`, `: List<User>`, `: Int` or `: Unit`");
        in.advance();
        TypeExpr result = TypeParser.type(in);
        in.expect(EQ);
        Token sql = in.peek();
        if (sql.kind() != STRING) throw in.expected("the SQL text in quotes");
        Expr.StringLit lit = exprs.stringLiteral(in.advance());
        String text = lit.constantText();
        if (text == null) {
            in.report(Diagnostic.error(ErrorCode.SQL_INTERPOLATION, "SQL text cannot be interpolated",
                    sql.span(), "interpolation in SQL").withHint("bind values as named parameters: "
                    + "write `:name` for the parameter `name`; SQL text is fixed at compile time"));
            text = "";
        }
        return new Decl.Query(name, params, result, text, sql.span(), in.spanFrom(name.span().start()));
    }

    // apiDecl -> 'api' METHOD PATH body      (PATH is scanned from the source text, not tokenized)
    private Decl apiDecl() {
        Token kw = in.advance();
        Token m = in.peek();
        if (m.kind() != IDENT || m.newlineBefore()) {
            throw in.expected("an HTTP method", "write e.g. `api GET /users/:id { … }`");
        }
        in.advance();
        HttpMethod method = MethodName.parse(m, in);
        Lexer.Path path = in.lexerAfterCurrent().scanPath();
        Body body = body(true);
        if (method == null) return null;
        return new Decl.ApiDecl(method, new Ident(m.text(), m.span()), path.segments(), path.span(), body.uses,
                body.inputs, body.block, in.spanFrom(kw.span().start()));
    }

    // testDecl -> 'test' STRING body
    private Decl testDecl() {
        Token kw = in.advance();
        Token name = in.peek();
        if (name.kind() != STRING) throw in.expected("the test name in quotes", "write `test \"what it checks\" { … }`");
        Expr.StringLit lit = exprs.stringLiteral(in.advance());
        String text = lit.constantText();
        if (text == null) {
            in.report(Diagnostic.error(ErrorCode.INTERPOLATION_NOT_ALLOWED, "a test name cannot be interpolated",
                    name.span(), "interpolated test name"));
            text = "";
        }
        Body body = body(false);
        return new Decl.TestDecl(text, body.uses, body.block, in.spanFrom(kw.span().start()));
    }

    private record Body(List<Ident> uses, List<Decl.Input> inputs, Block block) {}

    // body -> '{' uses? input* stmt* '}'        (inputs only in an `api` body)
    private Body body(boolean inputsAllowed) {
        Token open = in.expect(LBRACE);
        return in.inContext(false, false, () -> {
            List<Ident> uses = List.of();
            var inputs = new ArrayList<Decl.Input>();
            if (in.atWord("uses") && in.peek(1).kind() == LBRACE) {
                in.startItem();
                int before = in.position();
                try {
                    uses = usesClause();
                    stmts.endStatement();
                } catch (Cursor.Abort abort) {
                    if (in.position() == before) in.advance();
                    stmts.syncStatement();
                }
            }
            while (inputsAllowed && atInput()) {
                in.startItem();
                int before = in.position();
                try {
                    inputs.add(input());
                    stmts.endStatement();
                } catch (Cursor.Abort abort) {
                    if (in.position() == before) in.advance();
                    stmts.syncStatement();
                }
            }
            Block block = stmts.blockRest(open, new ArrayList<Stmt>());
            return new Body(uses, inputs, block);
        });
    }

    // uses -> 'uses' '{' (use ((',' | newline) use)*)? '}'
    // use  -> NAME | 'respond'            (`respond`: a `fn` that may end the request)
    private List<Ident> usesClause() {
        in.advance();
        return in.list(in.advance(), RBRACE, () -> {
            if (in.at(RESPOND)) {
                Token t = in.advance();
                return new Ident(t.text(), t.span());
            }
            return in.ident("a capability (`db`, `log`, `clock`, `random`) or `respond`");
        });
    }

    private boolean atInput() {
        return in.peek().kind() == IDENT && StmtParser.INPUT_WORDS.contains(in.peek().text())
                && in.peek(1).kind() == IDENT && in.peek(2).kind() == COLON;
    }

    // input -> ('param' | 'query' | 'header' | 'body' | 'raw') NAME ':' type ('=' expr)?
    private Decl.Input input() {
        Token kw = in.advance();
        Decl.InputKind kind = switch (kw.text()) {
            case "param" -> Decl.InputKind.PARAM;
            case "query" -> Decl.InputKind.QUERY;
            case "header" -> Decl.InputKind.HEADER;
            case "raw" -> Decl.InputKind.RAW;
            default -> Decl.InputKind.BODY;
        };
        Ident name = in.ident("an input name");
        in.expect(COLON);
        TypeExpr type = TypeParser.type(in);
        Expr defaultValue = null;
        if (in.at(EQ) && in.continuesLine()) {
            in.advance();
            defaultValue = exprs.expr();
        }
        return new Decl.Input(kind, name, type, defaultValue, in.spanFrom(kw.span().start()));
    }
}

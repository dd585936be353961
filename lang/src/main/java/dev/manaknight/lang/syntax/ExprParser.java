package dev.manaknight.lang.syntax;

import static dev.manaknight.lang.syntax.TokenKind.*;

import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.syntax.ast.Block;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Expr.BinaryOp;
import dev.manaknight.lang.syntax.ast.Expr.StringPart;
import dev.manaknight.lang.syntax.ast.Expr.UnaryOp;
import dev.manaknight.lang.syntax.ast.Ident;
import dev.manaknight.lang.syntax.ast.Pattern;
import dev.manaknight.lang.syntax.ast.Stmt;
import dev.manaknight.lang.model.HttpMethod;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Expressions by precedence climbing over the {@link Precedence} table, plus literals and lambdas. */
final class ExprParser {
    /** Text of the one Int literal that only fits when negated: `-9223372036854775808`. */
    private static final String MIN_INT_MAGNITUDE = "9223372036854775808";

    private final Cursor in;
    private final StmtParser stmts;
    private final PatternParser patterns;

    ExprParser(Cursor in, StmtParser stmts) {
        this.in = in;
        this.stmts = stmts;
        this.patterns = new PatternParser(in, this);
    }

    // expr -> prefix (postfix | binop expr)*
    Expr expr() {
        // A lambda anywhere is parsed as one, so the checker can say where lambdas may go (E0506).
        if (lambdaParamTokens() >= 0) return argument();
        return expr(Precedence.NONE);
    }

    /** An expression whose binary operators all bind tighter than `min`. */
    Expr expr(Precedence min) {
        in.enter();
        try {
            int start = in.peek().span().start();
            Expr left = prefix();
            boolean afterComparison = false;
            while (true) {
                Token t = in.peek();
                if (!in.continuesLine() && !startsContinuationLine(t.kind())) break;
                Expr post = postfix(left, start);
                if (post != null) {
                    left = post;
                    continue;
                }
                Precedence p = Precedence.infix(t.kind());
                if (p.compareTo(min) <= 0) break;
                if (!p.isAssociative() && afterComparison) comparisonChain(t);
                in.advance();
                Expr right = expr(p);
                left = new Expr.Binary(binaryOp(t.kind()), left, right, in.spanFrom(start));
                afterComparison = !p.isAssociative();
            }
            return left;
        } finally {
            in.exit();
        }
    }

    /** A new line starting with one of these continues the previous line's expression. */
    private static boolean startsContinuationLine(TokenKind kind) {
        return kind == DOT || kind == OR_OR || kind == AND_AND;
    }

    private void comparisonChain(Token op) {
        in.report(Diagnostic.error(ErrorCode.COMPARISON_CHAIN, "comparison operators cannot be chained",
                        op.span(), "a second comparison")
                .withHint("write `a < b && b < c`"));
    }

    private static BinaryOp binaryOp(TokenKind kind) {
        return switch (kind) {
            case OR_OR -> BinaryOp.OR;
            case AND_AND -> BinaryOp.AND;
            case EQ_EQ -> BinaryOp.EQ;
            case BANG_EQ -> BinaryOp.NE;
            case LT -> BinaryOp.LT;
            case LE -> BinaryOp.LE;
            case GT -> BinaryOp.GT;
            case GE -> BinaryOp.GE;
            case PLUS -> BinaryOp.ADD;
            case MINUS -> BinaryOp.SUB;
            case STAR -> BinaryOp.MUL;
            case SLASH -> BinaryOp.DIV;
            case PERCENT -> BinaryOp.MOD;
            default -> throw new IllegalArgumentException("not a binary operator: " + kind);
        };
    }

    // postfix -> '(' args ')' | '.' NAME ('(' args ')')? | '[' expr ']' | '?' | 'with' '{' fieldInit* '}'
    /** Applies one postfix operator to `left`, or returns null if the next token is none. */
    private Expr postfix(Expr left, int start) {
        Token t = in.peek();
        switch (t.kind()) {
            case LPAREN -> {
                if (!(left instanceof Expr.Name name)) {
                    throw in.fail(Diagnostic.error(ErrorCode.BAD_CALL, "only a function can be called by name",
                            t.span(), "call of something that is not a name")
                            .withHint("call a function as `f(x)` or a method as `x.m(y)`"));
                }
                List<Expr> args = args();
                return new Expr.Call(name.ident(), args, in.spanFrom(start));
            }
            case DOT -> {
                in.advance();
                Ident name = memberName();
                if (in.at(LPAREN) && in.continuesLine()) {
                    List<Expr> args = args();
                    return new Expr.MethodCall(left, name, args, in.spanFrom(start));
                }
                return new Expr.Field(left, name, in.spanFrom(start));
            }
            case LBRACKET -> {
                Token open = in.advance();
                Expr index = in.inContext(true, false, this::expr);
                if (!in.eat(RBRACKET)) throw in.unclosed(open, RBRACKET, false);
                return new Expr.Index(left, index, in.spanFrom(start));
            }
            case QUESTION -> {
                in.advance();
                return new Expr.Try(left, in.spanFrom(start));
            }
            case WITH -> {
                in.advance();
                Token open = in.expect(LBRACE);
                List<Expr.FieldInit> fields = in.list(open, RBRACE, this::fieldInit);
                return new Expr.With(left, fields, in.spanFrom(start));
            }
            default -> {
                return null;
            }
        }
    }

    /** After `.`, any word is a member name: `m.with(k, v)` names the built-in `with`. */
    private Ident memberName() {
        Token t = in.peek();
        if (t.kind() == IDENT || t.kind().isKeyword()) {
            in.advance();
            return new Ident(t.text(), t.span());
        }
        throw in.expected("a field or method name after `.`");
    }

    // args -> '(' (arg (',' arg)* ','?)? ')'
    List<Expr> args() {
        Token open = in.expect(LPAREN);
        return in.list(open, RPAREN, this::argument);
    }

    // arg -> lambda | expr ;  lambda -> (NAME | '_') '->' expr | '(' params? ')' '->' expr
    private Expr argument() {
        int paramCount = lambdaParamTokens();
        if (paramCount < 0) return expr(Precedence.NONE);
        int start = in.peek().span().start();
        var params = new ArrayList<Ident>();
        if (in.at(LPAREN)) {
            in.advance();
            while (!in.at(RPAREN)) {
                params.add(lambdaParam());
                in.eat(COMMA);
            }
            in.advance();
        } else {
            params.add(lambdaParam());
        }
        in.expect(ARROW);
        Expr body = expr();
        return new Expr.Lambda(params, body, in.spanFrom(start));
    }

    /** If a lambda starts here, how many tokens its parameters take; else -1. Looks ahead only. */
    private int lambdaParamTokens() {
        TokenKind first = in.peek().kind();
        if (first == IDENT || first == UNDERSCORE) return in.peek(1).kind() == ARROW ? 1 : -1;
        if (first != LPAREN) return -1;
        int i = 1;
        if (in.peek(i).kind() != RPAREN) {
            while (true) {
                TokenKind k = in.peek(i).kind();
                if (k != IDENT && k != UNDERSCORE) return -1;
                i++;
                if (in.peek(i).kind() == RPAREN) break;
                if (in.peek(i).kind() != COMMA) return -1;
                i++;
            }
        }
        return in.peek(i + 1).kind() == ARROW ? i + 1 : -1;
    }

    private Ident lambdaParam() {
        Token t = in.advance();
        return new Ident(t.text(), t.span());
    }

    // prefix -> literal | NAME | record | request | '(' expr ')' | '(' ')' | list | map | unary | if | match
    private Expr prefix() {
        Token t = in.peek();
        return switch (t.kind()) {
            case INT -> new Expr.IntLit(intValue(in.advance(), false), t.span());
            case DECIMAL -> new Expr.DecimalLit(decimalValue(in.advance()), t.span());
            case FLOAT -> new Expr.FloatLit(floatValue(in.advance()), t.span());
            case STRING -> stringLiteral(in.advance());
            case TRUE, FALSE -> new Expr.BoolLit(in.advance().kind() == TRUE, t.span());
            case IDENT -> nameLike();
            case LPAREN -> parenthesized();
            case LBRACKET -> listLiteral();
            case LBRACE -> {
                if (in.noStruct()) throw in.expected("an expression");
                yield mapLiteral();
            }
            case MINUS, BANG -> unary();
            case IF -> ifExpr();
            case MATCH -> matchExpr();
            case UNDERSCORE -> throw in.expected("an expression",
                    "`_` is a wildcard pattern or a lambda parameter, not a value");
            default -> throw in.expected("an expression");
        };
    }

    // unary -> ('-' | '!') expr<unary>
    private Expr unary() {
        Token op = in.advance();
        Token next = in.peek();
        if (op.kind() == MINUS && next.kind() == INT && next.text().replace("_", "").equals(MIN_INT_MAGNITUDE)) {
            return new Expr.IntLit(intValue(in.advance(), true), in.spanFrom(op.span().start()));
        }
        Expr operand = expr(Precedence.UNARY);
        UnaryOp kind = op.kind() == MINUS ? UnaryOp.NEG : UnaryOp.NOT;
        return new Expr.Unary(kind, operand, in.spanFrom(op.span().start()));
    }

    // name -> NAME | NAME '{' fieldInit* '}' (record, Upper names outside no-struct heads) | request
    private Expr nameLike() {
        Token t = in.peek();
        if (t.isWord("request") && in.peek(1).kind() == IDENT && !in.peek(1).newlineBefore()) return request();
        in.advance();
        Ident ident = new Ident(t.text(), t.span());
        if (Character.isUpperCase(t.text().charAt(0)) && in.at(LBRACE) && !in.peek().newlineBefore()
                && !in.noStruct()) {
            Token open = in.advance();
            List<Expr.FieldInit> fields = in.list(open, RBRACE, this::fieldInit);
            return new Expr.RecordLit(ident, fields, in.spanFrom(t.span().start()));
        }
        return new Expr.Name(ident, t.span());
    }

    // fieldInit -> NAME (':' expr)?      (a bare NAME is shorthand for `NAME: NAME`)
    private Expr.FieldInit fieldInit() {
        Ident name = in.fieldName("a field name");
        if (!in.eat(COLON)) return new Expr.FieldInit(name, new Expr.Name(name, name.span()));
        return new Expr.FieldInit(name, expr());
    }

    // request -> 'request' METHOD expr<unary> (('json' | 'text') '(' expr ')')? headers?
    //            (`headers { … }` as after `respond`, on the same line or the next)
    private Expr request() {
        Token kw = in.advance();
        Token m = in.advance();
        HttpMethod method = MethodName.parse(m, in);
        if (method == null) throw new Cursor.Abort();
        Expr path = expr(Precedence.UNARY);
        Stmt.BodyKind kind = Stmt.BodyKind.NONE;
        Expr body = null;
        Token t = in.peek();
        if ((t.isWord("json") || t.isWord("text")) && in.continuesLine() && in.peek(1).kind() == LPAREN) {
            in.advance();
            kind = t.text().equals("json") ? Stmt.BodyKind.JSON : Stmt.BodyKind.TEXT;
            body = singleArgument();
        }
        List<Stmt.Header> headers = List.of();
        if (in.atWord("headers") && in.peek(1).kind() == LBRACE) {
            in.advance();
            headers = in.list(in.advance(), RBRACE, this::header);
        }
        return new Expr.Request(method, path, kind, body, headers, in.spanFrom(kw.span().start()));
    }

    // header -> STRING ':' expr
    Stmt.Header header() {
        Token name = in.peek();
        if (name.kind() != STRING) throw in.expected("a header name in quotes", "write `\"Location\": value`");
        Expr.StringLit lit = stringLiteral(in.advance());
        String text = lit.constantText();
        if (text == null) {
            in.report(Diagnostic.error(ErrorCode.INTERPOLATION_NOT_ALLOWED, "a header name cannot be interpolated",
                    name.span(), "interpolated header name").withHint("header names are fixed; values may vary"));
            text = "";
        }
        in.expect(COLON);
        return new Stmt.Header(text, name.span(), expr());
    }

    /** `'(' expr ')'` after `json`/`text`. */
    Expr singleArgument() {
        Token open = in.expect(LPAREN);
        Expr e = in.inContext(true, false, this::expr);
        if (!in.eat(RPAREN)) throw in.unclosed(open, RPAREN, false);
        return e;
    }

    // paren -> '(' ')' | '(' expr ')'
    private Expr parenthesized() {
        Token open = in.advance();
        if (in.eat(RPAREN)) return new Expr.UnitLit(in.spanFrom(open.span().start()));
        Expr inner = in.inContext(true, false, this::expr);
        if (in.at(COMMA)) {
            throw in.fail(Diagnostic.error(ErrorCode.MISPLACED, "there are no tuples", in.peek().span(),
                    "unexpected `,`").withHint("a lambda `(a, b) -> …` can only be a call argument"));
        }
        if (!in.eat(RPAREN)) throw in.unclosed(open, RPAREN, false);
        return inner;
    }

    // list -> '[' (expr (',' expr)* ','?)? ']'
    private Expr listLiteral() {
        Token open = in.advance();
        List<Expr> items = in.list(open, RBRACKET, this::expr);
        return new Expr.ListLit(items, in.spanFrom(open.span().start()));
    }

    // map -> '{' (expr ':' expr ((',' | newline) expr ':' expr)*)? '}'
    private Expr mapLiteral() {
        Token open = in.advance();
        List<Expr.Entry> entries = in.list(open, RBRACE, () -> {
            Expr key = expr();
            in.expect(COLON);
            return new Expr.Entry(key, expr());
        });
        return new Expr.MapLit(entries, in.spanFrom(open.span().start()));
    }

    // if -> 'if' expr<no-struct> block ('else' (if | block))?
    Expr ifExpr() {
        Token kw = in.expect(IF);
        Expr condition = head();
        Block then = stmts.block();
        Expr otherwise = null;
        if (in.eat(ELSE)) {
            if (in.at(IF)) {
                otherwise = ifExpr();
            } else {
                Block b = stmts.block();
                otherwise = new Expr.BlockExpr(b, b.span());
            }
        }
        return new Expr.If(condition, then, otherwise, in.spanFrom(kw.span().start()));
    }

    /** The head of `if`, `match`, `while` or `for … in`: an expression in which `Upper {` does not start a record. */
    Expr head() {
        Expr e = in.inContext(false, true, this::expr);
        Expr last = e;
        while (true) {
            if (last instanceof Expr.Binary b) last = b.right();
            else if (last instanceof Expr.Unary u) last = u.operand();
            else break;
        }
        if (last instanceof Expr.Name n && Character.isUpperCase(n.ident().name().charAt(0)) && in.at(LBRACE)
                && in.peek(1).kind() == IDENT && (in.peek(2).kind() == COLON || in.peek(2).kind() == COMMA)) {
            throw in.fail(Diagnostic.error(ErrorCode.MISPLACED, "a record literal needs parentheses here",
                    n.span().to(in.peek().span()), "read as the start of the block")
                    .withHint("write `(" + n.ident().name() + " { … })`: after `if`, `match` and `for … in`, "
                            + "`{` starts the body"));
        }
        return e;
    }

    // match -> 'match' expr<no-struct> '{' (arm ((',' | newline) arm)*)? ','? '}'
    private Expr matchExpr() {
        Token kw = in.advance();
        Expr scrutinee = head();
        Token open = in.expect(LBRACE);
        List<Expr.Arm> arms = in.inContext(false, false, () -> {
            var out = new ArrayList<Expr.Arm>();
            while (!in.at(RBRACE)) {
                if (in.at(EOF) || in.atDeclarationLine()) throw in.unclosed(open, RBRACE, false);
                in.startItem();
                int before = in.position();
                try {
                    out.add(arm());
                    if (in.eat(COMMA) || in.at(RBRACE) || in.peek().newlineBefore()) continue;
                    throw in.unclosed(open, RBRACE, true);
                } catch (Cursor.Abort abort) {
                    if (in.position() == before) in.advance();
                    stmts.syncStatement();
                }
            }
            in.advance();
            return out;
        });
        return new Expr.Match(scrutinee, arms, in.spanFrom(kw.span().start()));
    }

    // arm -> pattern '->' (block | stmt)
    private Expr.Arm arm() {
        Pattern pattern = patterns.pattern();
        if (!in.at(ARROW)) throw in.expected("`->`", in.atFatArrow() ? Cursor.FAT_ARROW_HINT : null);
        in.advance();
        Block body;
        if (in.at(LBRACE)) {
            body = stmts.block();
        } else {
            Stmt s = stmts.armStatement();
            body = new Block(List.of(s), s.span());
        }
        return new Expr.Arm(pattern, body, in.spanFrom(pattern.span().start()));
    }

    // ---- literals ---------------------------------------------------------------------------

    /** The value of an INT token, negated first when `negate` (so `-9223372036854775808` fits). */
    long intValue(Token t, boolean negate) {
        String digits = t.text().replace("_", "");
        try {
            return Long.parseLong(negate ? "-" + digits : digits);
        } catch (NumberFormatException e) {
            in.report(Diagnostic.error(ErrorCode.INT_TOO_LARGE, "integer literal is too large", t.span(),
                    "does not fit in a 64-bit Int").withHint("an Int is at most 9223372036854775807"));
            return 0;
        }
    }

    static BigDecimal decimalValue(Token t) {
        return new BigDecimal(t.text().replace("_", ""));
    }

    double floatValue(Token t) {
        double value = Double.parseDouble(t.text().replace("_", ""));
        if (Double.isInfinite(value)) {
            in.report(Diagnostic.error(ErrorCode.BAD_NUMBER, "float literal is out of range", t.span(),
                    "larger than the largest Float"));
        }
        return value;
    }

    // string -> '"' (text | '${' expr '}')* '"'
    Expr.StringLit stringLiteral(Token t) {
        var parts = new ArrayList<StringPart>();
        for (Lexer.Segment seg : in.lexer.segments(t)) {
            switch (seg) {
                case Lexer.Segment.Text text -> parts.add(new StringPart.Text(text.text()));
                case Lexer.Segment.Interp interp -> {
                    Expr e = interpolation(interp);
                    if (e != null) parts.add(new StringPart.Interp(e));
                }
            }
        }
        return new Expr.StringLit(parts, t.span());
    }

    /** Parses the inside of `${…}` with a lexer over just that range; null after an error. */
    private Expr interpolation(Lexer.Segment.Interp seg) {
        if (in.file.text().substring(seg.start(), seg.end()).isBlank()) {
            in.report(Diagnostic.error(ErrorCode.EXPECTED, "empty interpolation", seg.span(),
                    "expected an expression inside `${…}`").withHint("write `\\$` for a literal `$`"));
            return null;
        }
        var lexer = new Lexer(in.file, seg.start(), seg.end(), in.diagnostics);
        var sub = new Cursor(in.file, lexer, in.diagnostics, seg.start(), in.depth());
        var parser = new StmtParser(sub).exprs();
        try {
            Expr e = sub.inContext(true, false, parser::expr);
            if (!sub.at(EOF)) throw sub.expected("`}` to end the interpolation");
            return e;
        } catch (Cursor.Abort abort) {
            return null;
        }
    }

    /** Patterns share this parser's literals. */
    PatternParser patterns() {
        return patterns;
    }
}

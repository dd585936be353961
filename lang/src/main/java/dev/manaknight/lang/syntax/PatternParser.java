package dev.manaknight.lang.syntax;

import static dev.manaknight.lang.syntax.TokenKind.*;

import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Ident;
import dev.manaknight.lang.syntax.ast.Pattern;
import java.util.List;

/** The patterns of `match` arms. */
final class PatternParser {
    private final Cursor in;
    private final ExprParser exprs;

    PatternParser(Cursor in, ExprParser exprs) {
        this.in = in;
        this.exprs = exprs;
    }

    // pattern -> '_' | literal | '-' number | 'none' | ('some' | 'ok' | 'err') '(' pattern ')'
    //          | NAME | NAME '.' NAME ('(' pattern (',' pattern)* ')')? | NAME '{' fieldPattern* '}'
    Pattern pattern() {
        in.enter();
        try {
            Token t = in.peek();
            return switch (t.kind()) {
                case UNDERSCORE -> new Pattern.Wildcard(in.advance().span());
                case INT, DECIMAL, FLOAT, STRING, TRUE, FALSE -> literal(false, t.span().start());
                case MINUS -> {
                    in.advance();
                    if (!in.at(INT) && !in.at(DECIMAL) && !in.at(FLOAT)) throw in.expected("a number after `-`");
                    yield literal(true, t.span().start());
                }
                case IDENT -> named();
                default -> throw in.expected("a pattern");
            };
        } finally {
            in.exit();
        }
    }

    // literal -> INT | DECIMAL | FLOAT | STRING | 'true' | 'false'      (numbers after an optional '-')
    private Pattern literal(boolean negate, int start) {
        Token t = in.advance();
        Span span = in.spanFrom(start);
        Expr value = switch (t.kind()) {
            case INT -> new Expr.IntLit(exprs.intValue(t, negate), span);
            case DECIMAL -> {
                var v = ExprParser.decimalValue(t);
                yield new Expr.DecimalLit(negate ? v.negate() : v, span);
            }
            case FLOAT -> new Expr.FloatLit(negate ? -exprs.floatValue(t) : exprs.floatValue(t), span);
            case STRING -> {
                Expr.StringLit s = exprs.stringLiteral(t);
                if (s.constantText() == null) {
                    in.report(Diagnostic.error(ErrorCode.INTERPOLATION_NOT_ALLOWED,
                            "a pattern string cannot be interpolated", t.span(), "interpolation in a pattern")
                            .withHint("bind the value and compare it in the arm body"));
                }
                yield s;
            }
            default -> new Expr.BoolLit(t.kind() == TRUE, span);
        };
        return new Pattern.Literal(value, span);
    }

    // named -> 'none' | ('some' | 'ok' | 'err') '(' pattern ')' | NAME ('.' NAME args? | '{' fields '}')?
    private Pattern named() {
        Token t = in.advance();
        Ident name = new Ident(t.text(), t.span());
        int start = t.span().start();
        boolean call = in.at(LPAREN) && !in.peek().newlineBefore();
        switch (t.text()) {
            case "none" -> {
                return new Pattern.None(t.span());
            }
            case "some", "ok", "err" -> {
                if (!call) throw in.expected("`(` after `" + t.text() + "`", "write `" + t.text() + "(x)`");
                Token open = in.advance();
                Pattern inner = in.inContext(true, false, this::pattern);
                if (!in.eat(RPAREN)) throw in.unclosed(open, RPAREN, false);
                Span span = in.spanFrom(start);
                return switch (t.text()) {
                    case "some" -> new Pattern.Some(inner, span);
                    case "ok" -> new Pattern.Ok(inner, span);
                    default -> new Pattern.Err(inner, span);
                };
            }
            default -> { }
        }
        if (in.at(DOT)) {
            in.advance();
            Ident variant = in.ident("a variant name");
            List<Pattern> args = List.of();
            if (in.at(LPAREN) && !in.peek().newlineBefore()) args = in.list(in.advance(), RPAREN, this::pattern);
            return new Pattern.Variant(name, variant, args, in.spanFrom(start));
        }
        if (in.at(LBRACE) && Character.isUpperCase(t.text().charAt(0))) {
            List<Pattern.FieldPattern> fields = in.list(in.advance(), RBRACE, this::fieldPattern);
            return new Pattern.Record(name, fields, in.spanFrom(start));
        }
        if (call) {
            throw in.fail(Diagnostic.error(ErrorCode.EXPECTED, "expected a pattern, found a call", t.span(),
                    "not a pattern").withHint("match an enum variant as `Enum." + t.text() + "(…)`"));
        }
        if (Character.isUpperCase(t.text().charAt(0))) {
            throw in.fail(Diagnostic.error(ErrorCode.EXPECTED, "a type name alone is not a pattern", t.span(),
                    "not a pattern").withHint("match a record as `" + t.text() + " { field }` or a variant as `"
                    + t.text() + ".variant`"));
        }
        return new Pattern.Binding(name, t.span());
    }

    // fieldPattern -> NAME (':' pattern)?
    private Pattern.FieldPattern fieldPattern() {
        Ident field = in.fieldName("a field name");
        if (!in.eat(COLON)) return new Pattern.FieldPattern(field, new Pattern.Binding(field, field.span()));
        return new Pattern.FieldPattern(field, pattern());
    }
}

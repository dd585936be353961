package dev.manaknight.lang.syntax.ast;

import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.model.HttpMethod;
import java.math.BigDecimal;
import java.util.List;

/**
 * An expression. The parser stays context-free: `Role.member` is a {@link Field} and
 * `Role.suspended("x")` / `db.findUser(id)` / `xs.map(f)` are {@link MethodCall}s; the checker
 * decides what each one means.
 */
public sealed interface Expr {
    Span span();

    record IntLit(long value, Span span) implements Expr {}

    record DecimalLit(BigDecimal value, Span span) implements Expr {}

    record FloatLit(double value, Span span) implements Expr {}

    record BoolLit(boolean value, Span span) implements Expr {}

    /** `()` */
    record UnitLit(Span span) implements Expr {}

    /** `"a ${e} b"`: parts are text and interpolated expressions, in order. */
    record StringLit(List<StringPart> parts, Span span) implements Expr {
        public StringLit { parts = List.copyOf(parts); }

        /** The literal text when there is no interpolation, else null. */
        public String constantText() {
            var sb = new StringBuilder();
            for (StringPart p : parts) {
                if (p instanceof StringPart.Text t) sb.append(t.text());
                else return null;
            }
            return sb.toString();
        }
    }

    sealed interface StringPart {
        record Text(String text) implements StringPart {}
        record Interp(Expr expr) implements StringPart {}
    }

    /** `[a, b, c]` */
    record ListLit(List<Expr> items, Span span) implements Expr {
        public ListLit { items = List.copyOf(items); }
    }

    /** `{ "k": v, … }` (keys are Strings); `{}` is the empty map. */
    record MapLit(List<Entry> entries, Span span) implements Expr {
        public MapLit { entries = List.copyOf(entries); }
    }

    record Entry(Expr key, Expr value) {}

    /** A name: local, parameter, constant, or (before `.`) a type or capability. */
    record Name(Ident ident, Span span) implements Expr {}

    /** `target.name` */
    record Field(Expr target, Ident name, Span span) implements Expr {}

    /** `name(args)`: a function, or `some`/`ok`/`err`. */
    record Call(Ident callee, List<Expr> args, Span span) implements Expr {
        public Call { args = List.copyOf(args); }
    }

    /** `target.name(args)`: a built-in method, an effect operation, or an enum variant constructor. */
    record MethodCall(Expr target, Ident name, List<Expr> args, Span span) implements Expr {
        public MethodCall { args = List.copyOf(args); }
    }

    /** `target[index]` */
    record Index(Expr target, Expr index, Span span) implements Expr {}

    record Unary(UnaryOp op, Expr operand, Span span) implements Expr {}

    record Binary(BinaryOp op, Expr left, Expr right, Span span) implements Expr {}

    /** `if c { … } else …`; `otherwise` is null, a {@link BlockExpr}, or another {@link If}. */
    record If(Expr condition, Block then, Expr otherwise, Span span) implements Expr {}

    /** A block used as an expression (an `else` branch, a match arm). */
    record BlockExpr(Block block, Span span) implements Expr {}

    /** `match e { pattern -> body, … }` */
    record Match(Expr scrutinee, List<Arm> arms, Span span) implements Expr {
        public Match { arms = List.copyOf(arms); }
    }

    /** `pattern -> body`; a body written without braces is a one-statement block. */
    record Arm(Pattern pattern, Block body, Span span) {}

    /** `x -> e` or `(a, b) -> e`; only as the argument of a built-in list operation. */
    record Lambda(List<Ident> params, Expr body, Span span) implements Expr {
        public Lambda { params = List.copyOf(params); }
    }

    /** `User { id: 1, name: n }` */
    record RecordLit(Ident type, List<FieldInit> fields, Span span) implements Expr {
        public RecordLit { fields = List.copyOf(fields); }
    }

    /** `u with { name: "x" }` */
    record With(Expr target, List<FieldInit> fields, Span span) implements Expr {
        public With { fields = List.copyOf(fields); }
    }

    record FieldInit(Ident name, Expr value) {}

    /** `a..b` (half-open), only as a `for` iterable. */
    record Range(Expr from, Expr to, Span span) implements Expr {}

    /** `e?` */
    record Try(Expr operand, Span span) implements Expr {}

    /**
     * `request POST "/path" [json(body) | text(body)] [headers { "Name": value, … }]`, in tests
     * only; `body` is null when `bodyKind` is NONE.
     */
    record Request(HttpMethod method, Expr path, Stmt.BodyKind bodyKind, Expr body, List<Stmt.Header> headers, Span span)
            implements Expr {
        public Request { headers = List.copyOf(headers); }
    }

    enum UnaryOp { NOT, NEG }

    enum BinaryOp {
        OR("||"), AND("&&"), EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%");

        public final String symbol;

        BinaryOp(String symbol) { this.symbol = symbol; }
    }
}

package dev.manaknight.lang.syntax.ast;

import dev.manaknight.lang.source.Span;
import java.util.List;

/** A statement inside a block. `if` and `match` are expressions and appear as {@link ExprStmt}. */
public sealed interface Stmt {
    Span span();

    /** `let x = e`, `var x: T = e` */
    record Let(Ident name, boolean mutable, TypeExpr type, Expr value, Span span) implements Stmt {}

    /** `x = e` (x must be a `var`) */
    record Assign(Ident target, Expr value, Span span) implements Stmt {}

    /** An expression in statement position. */
    record ExprStmt(Expr expr, Span span) implements Stmt {}

    /** `for x in xs { … }`; `xs` may be a range `a..b`. */
    record For(Ident var, Expr iterable, Block body, Span span) implements Stmt {}

    /** `while cond { … }` */
    record While(Expr condition, Block body, Span span) implements Stmt {}

    /** `break`: leaves the innermost loop. */
    record Break(Span span) implements Stmt {}

    /** `continue`: goes on with the innermost loop's next turn. */
    record Continue(Span span) implements Stmt {}

    /** `return e` or bare `return` (Unit). */
    record Return(Expr value, Span span) implements Stmt {}

    /**
     * `respond [keep] [status N] [json(v) | text(s)] [headers { "K": v, … }]`; `keep` (its span,
     * or null) keeps the request's database writes although the status is a 4xx.
     */
    record Respond(Span keep, Expr status, BodyKind bodyKind, Expr body, List<Header> headers, Span span) implements Stmt {
        public Respond { headers = List.copyOf(headers); }
    }

    /** `expect cond` inside a test. */
    record Expect(Expr condition, Span span) implements Stmt {}

    enum BodyKind { NONE, JSON, TEXT }

    /** `"Name": expr` in a `headers { … }` block. */
    record Header(String name, Span nameSpan, Expr value) {}
}

package dev.manaknight.lang.types;

import dev.manaknight.lang.source.Span;
import java.util.List;

/** The checked form of a statement. */
public sealed interface TStmt {
    Span span();

    /** `let`/`var`: evaluate and store into `slot`. */
    record Store(int slot, TExpr value, Span span) implements TStmt {}

    /** An expression whose value is dropped. */
    record Eval(TExpr expr, Span span) implements TStmt {}

    /** `for var in list { body }`; `temps` are the loop's scratch slots (list, index). */
    record ForList(int var, TExpr list, TExpr body, int[] temps, Span span) implements TStmt {}

    /** `for var in from..to { body }`; `temps[0]` holds the bound. */
    record ForRange(int var, TExpr from, TExpr to, TExpr body, int[] temps, Span span) implements TStmt {}

    /** `while condition { body }`; `endless` for `while true` without a `break` (it never ends the normal way). */
    record While(TExpr condition, TExpr body, boolean endless, Span span) implements TStmt {}

    /** `break` (`leave` true) or `continue`: to the end or the next turn of the innermost loop. */
    record Jump(boolean leave, Span span) implements TStmt {}

    record Return(TExpr value, Span span) implements TStmt {}

    /**
     * `respond`: `bodyKind` NONE/JSON/TEXT; `body` is null for NONE (its type decides the JSON);
     * `keep`: a 4xx keeps the request's database writes.
     */
    record Respond(boolean keep, TExpr status, dev.manaknight.lang.syntax.ast.Stmt.BodyKind bodyKind, TExpr body,
                   List<String> headerNames, List<TExpr> headerValues, Span span) implements TStmt {}

    /**
     * `expect cond`: `text` is the condition's source text, reported when it fails. When the
     * condition is a comparison, `temps` holds two scratch slots for its operands, so that a failure
     * shows what the left side was (and the right side, when `showRight`: it is not a literal).
     */
    record Expect(TExpr condition, String text, boolean showRight, int[] temps, Span span) implements TStmt {}
}

package dev.manaknight.lang.syntax.ast;

import dev.manaknight.lang.source.Span;
import java.util.List;

/** A `match` pattern. */
public sealed interface Pattern {
    Span span();

    /** `_` */
    record Wildcard(Span span) implements Pattern {}

    /** `name`: binds the value. */
    record Binding(Ident name, Span span) implements Pattern {}

    /** `1`, `"x"`, `true`, `-3`, `2.50` */
    record Literal(Expr value, Span span) implements Pattern {}

    /** `some(p)` */
    record Some(Pattern inner, Span span) implements Pattern {}

    /** `none` */
    record None(Span span) implements Pattern {}

    /** `ok(p)` */
    record Ok(Pattern inner, Span span) implements Pattern {}

    /** `err(p)` */
    record Err(Pattern inner, Span span) implements Pattern {}

    /** `Role.admin`, `Role.suspended(r)` */
    record Variant(Ident enumName, Ident variant, List<Pattern> args, Span span) implements Pattern {
        public Variant { args = List.copyOf(args); }
    }

    /** `User { id, name: n }` (a field without a pattern binds its own name); `..` is implied. */
    record Record(Ident type, List<FieldPattern> fields, Span span) implements Pattern {
        public Record { fields = List.copyOf(fields); }
    }

    record FieldPattern(Ident field, Pattern pattern) {}
}

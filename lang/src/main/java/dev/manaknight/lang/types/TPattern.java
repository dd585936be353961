package dev.manaknight.lang.types;

import dev.manaknight.lang.source.Span;
import java.util.List;

/** The checked form of a pattern; `ty` is the type of the value it is matched against. */
public sealed interface TPattern {
    Ty ty();

    Span span();

    record Wild(Ty ty, Span span) implements TPattern {}

    /** Binds the value to `slot`. */
    record Bind(int slot, Ty ty, Span span) implements TPattern {}

    /** Equal to a constant (IntC, DecC, FloatC, BoolC, StrC). */
    record Lit(TExpr value, Ty ty, Span span) implements TPattern {}

    /**
     * A constructor: `tag` is what VARIANT answers (enum variant index; none 0 / some 1;
     * ok 0 / err 1); `args` match the payload in order. For Bool, tag is 0/1 and no args. For
     * Patch, absent 0 / null 1 / set 2: code generation tests the Option<Option<T>> the VM holds.
     */
    record Ctor(CtorKind kind, int tag, String name, List<TPattern> args, Ty ty, Span span) implements TPattern {}

    enum CtorKind { ENUM, OPTION, RESULT, BOOL, PATCH }

    /** A record pattern: `fields` are (field index, pattern) pairs, the rest ignored. */
    record Rec(int record, List<Integer> fields, List<TPattern> patterns, Ty ty, Span span) implements TPattern {}
}

package dev.manaknight.lang.types;

import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.source.Span;
import java.math.BigDecimal;
import java.util.List;

/**
 * The checked, resolved form of an expression that code generation consumes: every name is a
 * local slot or a folded constant, every call is resolved, every operator is typed. Types are
 * read through {@link #ty()} after checking has bound all variables.
 */
public sealed interface TExpr {
    Ty ty();

    Span span();

    record IntC(long value, Span span) implements TExpr { public Ty ty() { return Ty.INT; } }

    record DecC(BigDecimal value, Span span) implements TExpr { public Ty ty() { return Ty.DECIMAL; } }

    record FloatC(double value, Span span) implements TExpr { public Ty ty() { return Ty.FLOAT; } }

    record BoolC(boolean value, Span span) implements TExpr { public Ty ty() { return Ty.BOOL; } }

    record StrC(String value, Span span) implements TExpr { public Ty ty() { return Ty.STRING; } }

    record UnitC(Span span) implements TExpr { public Ty ty() { return Ty.UNIT; } }

    /** String interpolation: each part converted to text by its type, then joined. */
    record Interp(List<TExpr> parts, Span span) implements TExpr {
        public Ty ty() { return Ty.STRING; }
    }

    record ListNew(List<TExpr> items, Ty ty, Span span) implements TExpr {}

    record MapNew(List<TExpr> keys, List<TExpr> values, Ty ty, Span span) implements TExpr {}

    /** A local variable or parameter, by slot. */
    record Local(int slot, Ty ty, Span span) implements TExpr {}

    /**
     * A binary operator; `operand` is the operands' type, from which code generation picks the
     * typed opcode ({@link PrimOp#binary}) once inference is complete.
     */
    record Binary(dev.manaknight.lang.syntax.ast.Expr.BinaryOp op, TExpr left, TExpr right, Ty operand, Ty ty, Span span)
            implements TExpr {}

    /** `-x` or `!x`. */
    record Unary(dev.manaknight.lang.syntax.ast.Expr.UnaryOp op, TExpr operand, Ty ty, Span span) implements TExpr {}

    /** Short-circuit `&&` (and=true) or `||`. */
    record Logic(boolean and, TExpr left, TExpr right, Span span) implements TExpr {
        public Ty ty() { return Ty.BOOL; }
    }

    /** A call of a declared `fn`, by its index among the app's functions. */
    record Call(int function, List<TExpr> args, Ty ty, Span span) implements TExpr {}

    /** A pure built-in; the receiver is the first argument. A null builtin is a list's `len()` (LIST_LEN). */
    record CallBuiltin(Builtin builtin, List<TExpr> args, Ty ty, Span span) implements TExpr {}

    /** `Json.from(v)`, and `Json.null()` as the Json of `()`: `value` as a `Json` value, led by its static type. */
    record ToJson(TExpr value, Span span) implements TExpr { public Ty ty() { return Ty.JSON; } }

    /** `T.fromJson(j)`: `ty` is `Result<T, String>`, T a declared record or enum. */
    record FromJson(TExpr json, Ty ty, Span span) implements TExpr {}

    /** An effect operation, by index in the module's effect table. */
    record Effect(int op, List<TExpr> args, Ty ty, Span span) implements TExpr {}

    /**
     * A list or option operation with an inline lambda: `params` are the lambda's local slots,
     * `extra` is the second argument when there is one (fold's initial value), `temps` are
     * scratch slots reserved for the loop.
     */
    record LambdaOp(LambdaKind kind, TExpr receiver, TExpr extra, List<Integer> params, TExpr body,
                    int[] temps, Ty ty, Span span) implements TExpr {}

    enum LambdaKind {
        MAP, FILTER, FOLD, ANY, ALL, FIND, SORT_BY,
        OPTION_MAP, OPTION_AND_THEN, RESULT_MAP, RESULT_MAP_ERR, RESULT_AND_THEN
    }

    /**
     * An Option or Result method without a lambda, compiled inline: `isOk()`, `isErr()`,
     * `o.okOr(e)`, `r.getOr(v)`; `arg` is null without an argument, `temps` are scratch slots.
     */
    record SumOp(SumKind kind, TExpr receiver, TExpr arg, int[] temps, Ty ty, Span span) implements TExpr {}

    enum SumKind { IS_OK, IS_ERR, OK_OR, RESULT_GET_OR }

    /** `config.name`: the value of config key `key` (an index into the module's config table). */
    record ConfigGet(int key, String name, Ty ty, Span span) implements TExpr {}

    record GetField(TExpr target, int record, int field, Ty ty, Span span) implements TExpr {}

    /** `target with { … }`: one (field, value) per written field. */
    record With(TExpr target, int record, List<Integer> fields, List<TExpr> values, Ty ty, Span span) implements TExpr {}

    /** Field values in declaration order. */
    record RecordNew(int record, List<TExpr> fields, Ty ty, Span span) implements TExpr {}

    record EnumNew(int enumType, int variant, List<TExpr> payload, Ty ty, Span span) implements TExpr {}

    record SomeE(TExpr value, Ty ty, Span span) implements TExpr {}

    record NoneE(Ty ty, Span span) implements TExpr {}

    record OkE(TExpr value, Ty ty, Span span) implements TExpr {}

    record ErrE(TExpr value, Ty ty, Span span) implements TExpr {}

    record Index(TExpr list, TExpr index, Ty ty, Span span) implements TExpr {}

    /** `if`; `otherwise` null means Unit. */
    record If(TExpr condition, TExpr then, TExpr otherwise, Ty ty, Span span) implements TExpr {}

    /** `match`: the scrutinee is stored in `slot` and the arms tested in order. */
    record Match(TExpr scrutinee, int slot, List<TArm> arms, Ty ty, Span span) implements TExpr {}

    record TArm(TPattern pattern, TExpr body) {}

    /** Statements then an optional result expression (null: the block's value is Unit). */
    record Block(List<TStmt> stmts, TExpr result, Ty ty, Span span) implements TExpr {}

    /** `e?`: unwraps some/ok, or leaves with the none / err(e) as `exit` says. `slot` holds e. */
    record Try(TExpr operand, boolean option, int slot, TryExit exit, Ty ty, Span span) implements TExpr {}

    /** Where `?` goes on a none or an err. */
    sealed interface TryExit {
        /** In a `fn` returning an Option or a Result: return the none, or a new err(e). */
        record Return() implements TryExit {}

        /** Where a response is allowed, on a none: answer 404 without a body. */
        record NotFound() implements TryExit {}

        /** Where a response is allowed, on an err(e): call the function that answers e's type (it never returns). */
        record Answer(int function, Ty error) implements TryExit {}
    }

    /**
     * `request M "/path" [json(body) | text(body)] [headers { … }]` in tests; `body` is null
     * without one, `text` tells a text body from a JSON one.
     */
    record Request(HttpMethod method, TExpr path, TExpr body, boolean text, List<String> headerNames, List<TExpr> headerValues,
                   Ty ty, Span span) implements TExpr {
        public Request {
            headerNames = List.copyOf(headerNames);
            headerValues = List.copyOf(headerValues);
        }
    }

    /** Stands for an expression that had an error: its type is a fresh variable, so errors do not cascade. */
    record Poison(Ty ty, Span span) implements TExpr {}

    /** `respond …`, `return …`: typed Never, they end the path. */
    record Diverge(TStmt stmt, Span span) implements TExpr {
        public Ty ty() { return Ty.Never.NEVER; }
    }
}

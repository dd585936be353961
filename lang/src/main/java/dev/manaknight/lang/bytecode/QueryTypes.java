package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.model.Type;
import java.util.function.Predicate;

/**
 * The types a `db` operation may have: what the runtime can bind to a statement parameter and map
 * back from rows. The checker refuses a query outside them; the verifier refuses a module with one.
 */
public final class QueryTypes {
    private QueryTypes() {}

    /** A column value: Int, Decimal, Float, Bool, String, Instant or Duration. */
    public static boolean scalar(Type t) {
        return t == Type.INT || t == Type.DECIMAL || t == Type.FLOAT || t == Type.BOOL || t == Type.STRING
                || t == Type.INSTANT || t == Type.DURATION;
    }

    /**
     * A parameter: a scalar, a plain enum (bound as its variant's name), `Json` (as its text), or
     * an Option of one (bound as NULL when none); or a List of a scalar or a plain enum, which
     * stands in `IN (:xs)` and is bound element by element ({@link #MAX_LIST_ITEMS} at most).
     */
    public static boolean param(Type t, Predicate<String> isPlainEnum) {
        return single(t, isPlainEnum) || t instanceof Type.OptionOf o && single(o.value(), isPlainEnum)
                || t instanceof Type.ListOf l && element(l.element(), isPlainEnum);
    }

    /**
     * The most items a List parameter binds: each is a statement parameter, and both databases
     * cap those (SQLite at 32,766, PostgreSQL at 65,535 per statement); a longer list is a failure
     * of the query, not a statement the database refuses halfway.
     */
    public static final int MAX_LIST_ITEMS = 1024;

    private static boolean single(Type t, Predicate<String> isPlainEnum) {
        return t == Type.JSON || element(t, isPlainEnum);
    }

    private static boolean element(Type t, Predicate<String> isPlainEnum) {
        return scalar(t) || t instanceof Type.Named n && isPlainEnum.test(n.name());
    }

    /**
     * A result: Unit, a scalar, a record, or an Option or List of a row (a scalar, an Option of one,
     * a record); or `Result<R, DbError>` of one of those (the query declares the errors it may meet).
     */
    public static boolean result(Type t, Predicate<String> isRecord) {
        Type rows = rows(t);
        return rows != t ? plainResult(rows, isRecord) : plainResult(t, isRecord);
    }

    /** True when `t` is `Result<R, DbError>`: the query's constraint violations are values, not failures. */
    public static boolean declaresErrors(Type t) {
        return t instanceof Type.ResultOf r && r.err() instanceof Type.Named n && n.name().equals(TypeDef.DB_ERROR.name());
    }

    /** What the rows map to: `R` of `Result<R, DbError>`, else `t` itself. */
    public static Type rows(Type t) {
        return declaresErrors(t) ? ((Type.ResultOf) t).ok() : t;
    }

    private static boolean plainResult(Type t, Predicate<String> isRecord) {
        return switch (t) {
            case Type.OptionOf o -> row(o.value(), isRecord);
            case Type.ListOf l -> row(l.element(), isRecord);
            case Type.Prim p -> p == Type.UNIT || scalar(p);
            case Type.Named n -> isRecord.test(n.name());
            default -> false;
        };
    }

    private static boolean row(Type t, Predicate<String> isRecord) {
        return scalar(t) || t instanceof Type.OptionOf o && scalar(o.value())
                || t instanceof Type.Named n && isRecord.test(n.name());
    }
}

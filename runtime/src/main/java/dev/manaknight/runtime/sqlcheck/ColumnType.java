package dev.manaknight.runtime.sqlcheck;

import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Type;
import dev.manaknight.runtime.effects.Dialect;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a result column holds, as far as the database says before running the query: SQLite's
 * affinity of the column's declared type (its rules: `INT` anywhere is INTEGER, `CHAR`, `CLOB` or
 * `TEXT` is TEXT, …), or PostgreSQL's type. UNKNOWN (an expression's column in SQLite, a type
 * this check does not know) is never a mismatch.
 */
enum ColumnType {
    INTEGER, REAL, NUMERIC, TEXT, BOOLEAN, UNKNOWN;

    /** @param name the column's declared type (SQLite, null for an expression) or type name (PostgreSQL) */
    static ColumnType of(String name, Dialect dialect) {
        if (name == null || name.isBlank()) return UNKNOWN;
        String t = name.toUpperCase(Locale.ROOT);
        return switch (dialect) {
            case SQLITE -> t.contains("INT") ? INTEGER
                    : t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") ? TEXT
                    : t.contains("BLOB") ? UNKNOWN
                    : t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") ? REAL
                    : NUMERIC; // BOOLEAN, DECIMAL(10,2), DATE: SQLite's NUMERIC affinity
            case POSTGRESQL -> switch (t) {
                case "INT2", "INT4", "INT8", "SERIAL", "BIGSERIAL", "SMALLINT", "INTEGER", "BIGINT" -> INTEGER;
                case "FLOAT4", "FLOAT8", "REAL", "DOUBLE PRECISION" -> REAL;
                case "NUMERIC", "DECIMAL" -> NUMERIC;
                case "TEXT", "VARCHAR", "BPCHAR", "NAME", "CHAR", "CHARACTER VARYING", "JSON", "JSONB", "UUID" -> TEXT;
                case "BOOL", "BOOLEAN" -> BOOLEAN;
                default -> UNKNOWN;
            };
        };
    }

    /**
     * Whether a value of this column can be read into `type`, by the runtime's rules (runtime.md,
     * Effects: Int from integer columns only, Decimal from numbers or text, Bool from booleans or
     * 0/1, a plain enum from its variant's name). An Option is its value's question; NULL is asked
     * separately.
     */
    boolean fits(Type type, Function<String, TypeDef> types) {
        if (this == UNKNOWN) return true;
        return switch (type) {
            case Type.OptionOf o -> fits(o.value(), types);
            case Type.Prim p -> switch (p) {
                case INT -> this == INTEGER || this == NUMERIC;
                case DECIMAL -> this != BOOLEAN;
                case FLOAT -> this == INTEGER || this == REAL || this == NUMERIC;
                case BOOL -> this == BOOLEAN || this == INTEGER || this == NUMERIC;
                case STRING, JSON, UNIT -> true;
                case INSTANT -> this == TEXT || this == INTEGER || this == NUMERIC; // RFC 3339 text, epoch ms, a DATETIME
                case DURATION -> this == INTEGER || this == NUMERIC; // milliseconds
                case SECRET -> false; // never a column
            };
            case Type.Named n -> !(types.apply(n.name()) instanceof TypeDef.EnumDef) || this == TEXT;
            default -> true;
        };
    }

    /**
     * Whether a parameter of `type` can be bound where the database expects this type (PostgreSQL
     * infers each parameter's type from where it stands): the runtime binds Int with `setLong`,
     * String with `setString` (sent as `varchar`, which PostgreSQL does not turn into a number), a
     * plain enum by its variant's name.
     */
    boolean accepts(Type type, Function<String, TypeDef> types) {
        if (this == UNKNOWN) return true;
        return switch (type) {
            case Type.OptionOf o -> accepts(o.value(), types);
            case Type.Prim p -> switch (p) {
                case INT, DECIMAL, FLOAT -> this == INTEGER || this == NUMERIC || this == REAL;
                case BOOL -> this == BOOLEAN;
                case STRING -> this == TEXT;
                case JSON, UNIT -> true;
                case INSTANT -> this == TEXT || this == NUMERIC; // PostgreSQL's timestamptz is UNKNOWN here: accepted above
                case DURATION -> this == INTEGER || this == NUMERIC;
                case SECRET -> false;
            };
            case Type.Named n -> !(types.apply(n.name()) instanceof TypeDef.EnumDef) || this == TEXT;
            default -> true;
        };
    }

    /** For messages: `INTEGER`, or the declared type when it says more (`BOOLEAN`, `NUMERIC(10,2)`). */
    static String describe(String declared, ColumnType t) {
        return declared == null || declared.isBlank() ? t.name() : declared.toUpperCase(Locale.ROOT);
    }
}

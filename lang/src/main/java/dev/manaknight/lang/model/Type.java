package dev.manaknight.lang.model;

import java.util.List;

/**
 * A Manaknight type as the checker, the module format and the runtime see it. Declared records
 * and enums are referred to by name ({@link Named}); their shapes live in the module's type table.
 */
public sealed interface Type {
    Type INT = Prim.INT;
    Type DECIMAL = Prim.DECIMAL;
    Type FLOAT = Prim.FLOAT;
    Type BOOL = Prim.BOOL;
    Type STRING = Prim.STRING;
    Type UNIT = Prim.UNIT;
    Type JSON = Prim.JSON;
    Type INSTANT = Prim.INSTANT;
    Type DURATION = Prim.DURATION;
    Type SECRET = Prim.SECRET;

    /** The built-in scalar types. */
    enum Prim implements Type {
        INT("Int"), DECIMAL("Decimal"), FLOAT("Float"), BOOL("Bool"), STRING("String"), UNIT("Unit"), JSON("Json"),
        /** A point in time, UTC, to the millisecond ({@link TimeText}). */
        INSTANT("Instant"),
        /** A length of time, to the millisecond, possibly negative. */
        DURATION("Duration"),
        /**
         * A configured value that is never turned into text: only compared in constant time and
         * used as an HMAC key (docs/guide/language.md, "Configuration and secrets").
         */
        SECRET("Secret");

        private final String display;

        Prim(String display) { this.display = display; }

        @Override public String toString() { return display; }
    }

    record ListOf(Type element) implements Type {
        @Override public String toString() { return "List<" + element + ">"; }
    }

    /** String keys, insertion-ordered. */
    record MapOf(Type value) implements Type {
        @Override public String toString() { return "Map<" + value + ">"; }
    }

    record OptionOf(Type value) implements Type {
        @Override public String toString() { return "Option<" + value + ">"; }
    }

    /**
     * A PATCH body's field: left out, `null` or a value. The VM holds it as an `Option<Option<T>>`
     * (none, some(none), some(some(v))); the name is what the checker, JSON and OpenAPI go by.
     */
    record PatchOf(Type value) implements Type {
        /** The type the VM holds it as: `Option<Option<T>>`. */
        public Type heldAs() { return new OptionOf(new OptionOf(value)); }

        @Override public String toString() { return "Patch<" + value + ">"; }
    }

    record ResultOf(Type ok, Type err) implements Type {
        @Override public String toString() { return "Result<" + ok + ", " + err + ">"; }
    }

    /** A declared record or enum, by name. */
    record Named(String name) implements Type {
        @Override public String toString() { return name; }
    }

    /** How the VM stores a value of this type: in the primitive (long) lane or the reference lane. */
    default Kind kind() {
        return this == INT || this == BOOL || this == FLOAT ? Kind.P : Kind.R;
    }

    /** An Option or a Patch: a field a record literal or a JSON object may leave out (none, Patch.absent). */
    default boolean mayBeLeftOut() {
        return this instanceof OptionOf || this instanceof PatchOf;
    }

    static Type listOf(Type t) { return new ListOf(t); }

    static Type optionOf(Type t) { return new OptionOf(t); }

    /** All the types directly inside this one. */
    default List<Type> children() {
        return switch (this) {
            case Prim p -> List.of();
            case ListOf l -> List.of(l.element());
            case MapOf m -> List.of(m.value());
            case OptionOf o -> List.of(o.value());
            case PatchOf p -> List.of(p.value());
            case ResultOf r -> List.of(r.ok(), r.err());
            case Named n -> List.of();
        };
    }
}

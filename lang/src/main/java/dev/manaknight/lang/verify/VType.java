package dev.manaknight.lang.verify;

/**
 * What the verifier knows about the value in one stack slot or local: its lane and, in the
 * reference lane, the class the VM will find there and what it holds (see verifier.md, "Types").
 *
 * <p>Values are immutable, so containers are covariant: a `List<Nothing>` (an empty list) fits
 * every list type, `none` ({@code Option<Nothing>}) every option. The one mutable value, a list
 * builder, is invariant: its element type is fixed where it is made ({@code BUILDER_NEW J}).
 */
sealed interface VType {
    /** The primitive lane: an Int, a Bool (0/1) or a Float's bits, which no instruction can misread. */
    enum Prim implements VType {
        P;

        @Override public String toString() { return "P"; }
    }

    /**
     * A reference no run ever holds: the element of an empty list or map, the content of `none`,
     * the other side of `ok(v)`/`err(e)`. It fits every reference type.
     */
    enum Nothing implements VType {
        NOTHING;

        @Override public String toString() { return "Nothing"; }
    }

    /** Scalars in the reference lane. INT, FLOAT and BOOL are boxed (a Long, a Double, a Boolean). */
    enum Scalar implements VType {
        INT("Int"), FLOAT("Float"), BOOL("Bool"), STRING("String"), DECIMAL("Decimal"), UNIT("Unit"), JSON("Json"),
        INSTANT("Instant"), DURATION("Duration"),
        /** A config key's secret value: never shown, compared with `==` or put into a container. */
        SECRET("Secret"),
        /** A response body made by `JSON J` or `TEXT`. */
        BODY("Body");

        private final String display;

        Scalar(String display) { this.display = display; }

        @Override public String toString() { return display; }
    }

    record ListOf(VType element) implements VType {
        @Override public String toString() { return "List<" + element + ">"; }
    }

    record MapOf(VType value) implements VType {
        @Override public String toString() { return "Map<" + value + ">"; }
    }

    record OptionOf(VType value) implements VType {
        @Override public String toString() { return "Option<" + value + ">"; }
    }

    record ResultOf(VType ok, VType err) implements VType {
        @Override public String toString() { return "Result<" + ok + ", " + err + ">"; }
    }

    /** A record or an enum of the type table, by index (the name is for messages). */
    record Named(int index, String name) implements VType {
        @Override public String toString() { return name; }
    }

    /** A list builder whose elements have exactly this type. */
    record Builder(VType element) implements VType {
        @Override public String toString() { return "Builder<" + element + ">"; }
    }
}

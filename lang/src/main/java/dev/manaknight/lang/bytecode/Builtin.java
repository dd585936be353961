package dev.manaknight.lang.bytecode;

/**
 * The pure built-in operations reached through {@code BUILTIN id} (id = ordinal). Each names the
 * kinds it pops (deepest first) and pushes, like {@link Opcode}. List operations that take a
 * lambda (`map`, `filter`, `fold`, `any`, `all`, `find`, `sortBy`, `Option.map`) are compiled
 * to inline loops and so have no entry here, except the sort itself ({@link #LIST_SORT_BY_KEYS}).
 * Every builtin charges the memory meter for what it allocates and fuel for the elements or
 * characters it walks.
 */
public enum Builtin {
    STR_LEN("R", "P"),               // s -> Int               length in code points
    STR_UPPER("R", "R"),             // s -> s                 Unicode, locale-independent
    STR_LOWER("R", "R"),             // s -> s
    STR_TRIM("R", "R"),              // s -> s                 Unicode white space
    STR_CONTAINS("RR", "P"),         // s t -> Bool
    STR_STARTS_WITH("RR", "P"),      // s t -> Bool
    STR_ENDS_WITH("RR", "P"),        // s t -> Bool
    STR_SPLIT("RR", "R"),            // s sep -> List<String>  literal separator; "" splits code points
    STR_REPLACE("RRR", "R"),         // s from to -> s         every literal occurrence
    STR_TO_INT("R", "R"),            // s -> Option<Int>
    STR_TO_DECIMAL("R", "R"),        // s -> Option<Decimal>

    INT_TO_DECIMAL("P", "R"),        // i -> Decimal
    INT_TO_FLOAT("P", "P"),          // i -> Float
    INT_ABS("P", "P"),               // i -> Int               traps on MIN
    INT_MIN("PP", "P"),              // a b -> Int
    INT_MAX("PP", "P"),              // a b -> Int
    DEC_TO_FLOAT("R", "P"),          // d -> Float
    DEC_ABS("R", "R"),               // d -> Decimal
    DEC_MIN("RR", "R"),              // a b -> Decimal
    DEC_MAX("RR", "R"),              // a b -> Decimal
    DEC_ROUND("RP", "R"),            // d scale -> Decimal     half-even
    FLT_TO_DECIMAL("P", "R"),        // f -> Decimal           traps on NaN and infinities
    FLT_ABS("P", "P"),               // f -> Float
    FLT_MIN("PP", "P"),              // a b -> Float
    FLT_MAX("PP", "P"),              // a b -> Float
    FLT_ROUND("PP", "P"),            // f scale -> Float       half-even at `scale` decimals

    LIST_GET("RP", "R"),             // xs i -> Option<T>
    LIST_IS_EMPTY("R", "P"),         // xs -> Bool
    LIST_FIRST("R", "R"),            // xs -> Option<T>
    LIST_LAST("R", "R"),             // xs -> Option<T>
    LIST_TAKE("RP", "R"),            // xs n -> List<T>        n clamped to 0..len
    LIST_DROP("RP", "R"),            // xs n -> List<T>        n clamped to 0..len
    LIST_REVERSE("R", "R"),          // xs -> List<T>
    LIST_CONTAINS("RR", "P"),        // xs v -> Bool           structural equality
    LIST_JOIN("RR", "R"),            // xs sep -> String       xs: List<String>
    LIST_SORT_BY_KEYS("RR", "R"),    // xs keys -> List<T>     stable; keys are Int, Decimal, Float or String

    OPT_GET_OR("RR", "R"),           // o default -> T
    OPT_IS_SOME("R", "P"),           // o -> Bool
    OPT_IS_NONE("R", "P"),           // o -> Bool

    MAP_GET("RR", "R"),              // m k -> Option<T>
    MAP_KEYS("R", "R"),              // m -> List<String>      insertion order
    MAP_VALUES("R", "R"),            // m -> List<T>           insertion order
    MAP_HAS("RR", "P"),              // m k -> Bool
    MAP_WITH("RRR", "R"),            // m k v -> Map<T>        a copy; an existing key keeps its place
    MAP_LEN("R", "P");               // m -> Int

    public final String pops;
    public final String pushes;

    private static final Builtin[] BY_ID = values();

    Builtin(String pops, String pushes) {
        this.pops = pops;
        this.pushes = pushes;
    }

    public int id() { return ordinal(); }

    public static Builtin of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}

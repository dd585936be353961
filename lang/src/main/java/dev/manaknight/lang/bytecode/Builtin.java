package dev.manaknight.lang.bytecode;

/**
 * The pure built-in operations reached through {@code BUILTIN id}. Each names its id (pinned by
 * the `.mkb` format like an opcode's byte value: never the declaration order, see {@link Opcode})
 * and the kinds it pops (deepest first) and pushes, like {@link Opcode}. List operations that take a
 * lambda (`map`, `filter`, `fold`, `any`, `all`, `find`, `sortBy`, `Option.map`) are compiled
 * to inline loops and so have no entry here, except the sort itself ({@link #LIST_SORT_BY_KEYS}).
 * Every builtin charges the memory meter for what it allocates and fuel for the elements or
 * characters it walks.
 */
public enum Builtin {
    STR_LEN(0, "R", "P"),            // s -> Int               length in code points
    STR_UPPER(1, "R", "R"),          // s -> s                 Unicode, locale-independent
    STR_LOWER(2, "R", "R"),          // s -> s
    STR_TRIM(3, "R", "R"),           // s -> s                 Unicode white space
    STR_CONTAINS(4, "RR", "P"),      // s t -> Bool
    STR_STARTS_WITH(5, "RR", "P"),   // s t -> Bool
    STR_ENDS_WITH(6, "RR", "P"),     // s t -> Bool
    STR_SPLIT(7, "RR", "R"),         // s sep -> List<String>  literal separator; "" splits code points
    STR_REPLACE(8, "RRR", "R"),      // s from to -> s         every literal occurrence
    STR_TO_INT(9, "R", "R"),         // s -> Option<Int>
    STR_TO_DECIMAL(10, "R", "R"),    // s -> Option<Decimal>

    INT_TO_DECIMAL(11, "P", "R"),    // i -> Decimal
    INT_TO_FLOAT(12, "P", "P"),      // i -> Float
    INT_ABS(13, "P", "P"),           // i -> Int               traps on MIN
    INT_MIN(14, "PP", "P"),          // a b -> Int
    INT_MAX(15, "PP", "P"),          // a b -> Int
    DEC_TO_FLOAT(16, "R", "P"),      // d -> Float
    DEC_ABS(17, "R", "R"),           // d -> Decimal
    DEC_MIN(18, "RR", "R"),          // a b -> Decimal
    DEC_MAX(19, "RR", "R"),          // a b -> Decimal
    DEC_ROUND(20, "RP", "R"),        // d scale -> Decimal     half-even
    FLT_TO_DECIMAL(21, "P", "R"),    // f -> Decimal           traps on NaN and infinities
    FLT_ABS(22, "P", "P"),           // f -> Float
    FLT_MIN(23, "PP", "P"),          // a b -> Float
    FLT_MAX(24, "PP", "P"),          // a b -> Float
    FLT_ROUND(25, "PP", "P"),        // f scale -> Float       half-even at `scale` decimals

    LIST_GET(26, "RP", "R"),         // xs i -> Option<T>
    LIST_IS_EMPTY(27, "R", "P"),     // xs -> Bool
    LIST_FIRST(28, "R", "R"),        // xs -> Option<T>
    LIST_LAST(29, "R", "R"),         // xs -> Option<T>
    LIST_TAKE(30, "RP", "R"),        // xs n -> List<T>        n clamped to 0..len
    LIST_DROP(31, "RP", "R"),        // xs n -> List<T>        n clamped to 0..len
    LIST_REVERSE(32, "R", "R"),      // xs -> List<T>
    LIST_CONTAINS(33, "RR", "P"),    // xs v -> Bool           structural equality
    LIST_JOIN(34, "RR", "R"),        // xs sep -> String       xs: List<String>
    LIST_SORT_BY_KEYS(35, "RR", "R"), // xs keys -> List<T>     stable; keys are Int, Decimal, Float or String

    OPT_GET_OR(36, "RR", "R"),       // o default -> T
    OPT_IS_SOME(37, "R", "P"),       // o -> Bool
    OPT_IS_NONE(38, "R", "P"),       // o -> Bool

    MAP_GET(39, "RR", "R"),          // m k -> Option<T>
    MAP_KEYS(40, "R", "R"),          // m -> List<String>      insertion order
    MAP_VALUES(41, "R", "R"),        // m -> List<T>           insertion order
    MAP_HAS(42, "RR", "P"),          // m k -> Bool
    MAP_WITH(43, "RRR", "R"),        // m k v -> Map<T>        a copy; an existing key keeps its place
    MAP_LEN(44, "R", "P");           // m -> Int

    /** The id in {@code BUILTIN id}: pinned. */
    private final int id;
    public final String pops;
    public final String pushes;

    private static final Builtin[] BY_ID = Codes.table(values(), Builtin::id, Builtin[]::new);

    Builtin(int id, String pops, String pushes) {
        this.id = id;
        this.pops = pops;
        this.pushes = pushes;
    }

    public int id() { return id; }

    /** The builtin with this id, or null when there is none. */
    public static Builtin of(int id) {
        return Codes.lookup(BY_ID, id);
    }
}

package dev.manaknight.lang.bytecode;

/**
 * The pure built-in operations reached through {@code BUILTIN id}. Each names its id (pinned by
 * the `.mkb` format like an opcode's byte value: never the declaration order, see {@link Opcode})
 * and its signature: the types it pops, deepest first, then {@code ->} and the type it pushes.
 * A top-level Int, Float or Bool is in the primitive lane, everything else a reference (inside a
 * container they are boxed); {@code a} is any reference type, the same at each occurrence (the
 * verifier joins them); {@code key} is a sort key: Int, Decimal, Float or String. The kinds
 * ({@link #pops}, {@link #pushes}) are read off the signature. List operations that take a
 * lambda (`map`, `filter`, `fold`, `any`, `all`, `find`, `sortBy`, `Option.map`) are compiled
 * to inline loops and so have no entry here, except the sort itself ({@link #LIST_SORT_BY_KEYS}).
 * Every builtin charges the memory meter for what it allocates and fuel for the elements or
 * characters it walks.
 */
public enum Builtin {
    STR_LEN(0, "String -> Int"),                          // length in code points
    STR_UPPER(1, "String -> String"),                     // Unicode, locale-independent
    STR_LOWER(2, "String -> String"),
    STR_TRIM(3, "String -> String"),                      // Unicode white space
    STR_CONTAINS(4, "String String -> Bool"),
    STR_STARTS_WITH(5, "String String -> Bool"),
    STR_ENDS_WITH(6, "String String -> Bool"),
    STR_SPLIT(7, "String String -> List<String>"),        // literal separator; "" splits code points
    STR_REPLACE(8, "String String String -> String"),     // every literal occurrence
    STR_TO_INT(9, "String -> Option<Int>"),
    STR_TO_DECIMAL(10, "String -> Option<Decimal>"),

    INT_TO_DECIMAL(11, "Int -> Decimal"),
    INT_TO_FLOAT(12, "Int -> Float"),
    INT_ABS(13, "Int -> Int"),                            // traps on MIN
    INT_MIN(14, "Int Int -> Int"),
    INT_MAX(15, "Int Int -> Int"),
    DEC_TO_FLOAT(16, "Decimal -> Float"),
    DEC_ABS(17, "Decimal -> Decimal"),
    DEC_MIN(18, "Decimal Decimal -> Decimal"),
    DEC_MAX(19, "Decimal Decimal -> Decimal"),
    DEC_ROUND(20, "Decimal Int -> Decimal"),              // half-even
    FLT_TO_DECIMAL(21, "Float -> Decimal"),               // traps on NaN and infinities
    FLT_ABS(22, "Float -> Float"),
    FLT_MIN(23, "Float Float -> Float"),
    FLT_MAX(24, "Float Float -> Float"),
    FLT_ROUND(25, "Float Int -> Float"),                  // half-even at that many decimals

    LIST_GET(26, "List<a> Int -> Option<a>"),
    LIST_IS_EMPTY(27, "List<a> -> Bool"),
    LIST_FIRST(28, "List<a> -> Option<a>"),
    LIST_LAST(29, "List<a> -> Option<a>"),
    LIST_TAKE(30, "List<a> Int -> List<a>"),              // n clamped to 0..len
    LIST_DROP(31, "List<a> Int -> List<a>"),              // n clamped to 0..len
    LIST_REVERSE(32, "List<a> -> List<a>"),
    LIST_CONTAINS(33, "List<a> a -> Bool"),               // structural equality
    LIST_JOIN(34, "List<String> String -> String"),
    LIST_SORT_BY_KEYS(35, "List<a> List<key> -> List<a>"), // stable, by the keys: one per element

    OPT_GET_OR(36, "Option<a> a -> a"),
    OPT_IS_SOME(37, "Option<a> -> Bool"),
    OPT_IS_NONE(38, "Option<a> -> Bool"),

    MAP_GET(39, "Map<a> String -> Option<a>"),
    MAP_KEYS(40, "Map<a> -> List<String>"),               // insertion order
    MAP_VALUES(41, "Map<a> -> List<a>"),                  // insertion order
    MAP_HAS(42, "Map<a> String -> Bool"),
    MAP_WITH(43, "Map<a> String a -> Map<a>"),            // a copy; an existing key keeps its place
    MAP_LEN(44, "Map<a> -> Int"),

    STR_SLICE(45, "String Int Int -> String"),            // code points from..to-1, clamped to 0..len
    STR_INDEX_OF(46, "String String -> Option<Int>"),     // code-point index of the first occurrence
    STR_PAD_START(47, "String Int String -> String"),     // to a width in code points; the fill cut to fit
    STR_PAD_END(48, "String Int String -> String"),
    STR_REPEAT(49, "String Int -> String"),               // traps on a negative count
    INT_FORMAT(50, "Int String -> String"),               // digits grouped by threes with the separator
    DEC_FORMAT(51, "Decimal Int String -> String"),       // scale decimals, half-even; grouped integer digits
    DEC_TO_INT(52, "Decimal -> Option<Int>"),             // none unless a whole number in Int's range
    VALUE_SHOW(53, "a -> String"),                        // source-like text, a String quoted: a failed expect's values

    STR_SHA256(54, "String -> String"),                   // lowercase hex of the UTF-8 bytes' digest
    STR_SHA512(55, "String -> String"),
    STR_HMAC_SHA256(56, "String String -> String"),       // message, key: lowercase hex
    STR_EQUALS_CONSTANT_TIME(57, "String String -> Bool"), // time depends on the lengths only
    STR_BASE64(58, "String -> String"),                   // of the UTF-8 bytes, padded
    STR_BASE64URL(59, "String -> String"),                // URL alphabet, no padding
    STR_HEX(60, "String -> String"),                      // lowercase
    STR_FROM_BASE64(61, "String -> Option<String>"),      // none unless base64 of UTF-8 (padding optional)
    STR_FROM_BASE64URL(62, "String -> Option<String>"),
    STR_FROM_HEX(63, "String -> Option<String>"),
    RE_MATCHES(64, "String String -> Bool"),              // text, pattern: the whole text matches
    RE_FIND(65, "String String -> Option<String>"),       // the leftmost match
    RE_FIND_ALL(66, "String String -> List<String>"),     // every match, not overlapping
    RE_REPLACE_ALL(67, "String String String -> String"), // text, pattern, literal replacement

    INSTANT_PLUS(68, "Instant Duration -> Instant"),      // traps outside years 0000..9999
    INSTANT_MINUS(69, "Instant Duration -> Instant"),
    INSTANT_SINCE(70, "Instant Instant -> Duration"),     // a - b
    INSTANT_IS_BEFORE(71, "Instant Instant -> Bool"),
    INSTANT_IS_AFTER(72, "Instant Instant -> Bool"),
    INSTANT_EPOCH_MILLIS(73, "Instant -> Int"),
    STR_TO_INSTANT(74, "String -> Option<Instant>"),      // RFC 3339, any offset, to UTC
    DURATION_OF(75, "Int Int -> Duration"),               // count, milliseconds per unit (the compiler's constant)
    DURATION_PLUS(76, "Duration Duration -> Duration"),
    DURATION_MINUS(77, "Duration Duration -> Duration"),
    DURATION_TO_MILLIS(78, "Duration -> Int"),

    SECRET_EQUALS(79, "Secret String -> Bool"),           // constant time: depends on the lengths only
    SECRET_HMAC_SHA256(80, "Secret String -> String"),    // key, message: lowercase hex

    JSON_GET(81, "Json String -> Option<Json>"),          // an object's member; none for a missing key or no object
    JSON_AT(82, "Json Int -> Option<Json>"),              // an array's element; none out of range or for no array
    JSON_AS_TEXT(83, "Json -> Option<String>"),           // a string
    JSON_AS_INT(84, "Json -> Option<Int>"),               // a whole number in Int's range (1.0 too)
    JSON_AS_DECIMAL(85, "Json -> Option<Decimal>"),       // any finite number, exactly
    JSON_AS_BOOL(86, "Json -> Option<Bool>"),
    JSON_AS_LIST(87, "Json -> Option<List<Json>>"),       // an array's elements
    JSON_AS_MAP(88, "Json -> Option<Map<Json>>"),         // an object's members, in their order
    JSON_IS_NULL(89, "Json -> Bool"),
    JSON_TO_TEXT(90, "Json -> String"),                   // compact JSON text, members in their order
    JSON_PARSE(91, "String -> Result<Json, String>"),     // the host's reader, with a request body's limits

    RE_CAPTURES(92, "String String -> Option<Map<String>>"); // the leftmost match's groups: "0", "1".., names

    /** The id in {@code BUILTIN id}: pinned. */
    private final int id;
    /** The types it pops (deepest first) and pushes; see the class comment for the notation. */
    public final String signature;
    /** Kinds popped, deepest first, and pushed: read off the signature. */
    public final String pops;
    public final String pushes;

    private static final Builtin[] BY_ID = Codes.table(values(), Builtin::id, Builtin[]::new);

    Builtin(int id, String signature) {
        this.id = id;
        this.signature = signature;
        String[] sides = signature.split(" -> ");
        this.pops = kinds(sides[0]);
        this.pushes = kinds(sides[1]);
    }

    /** P for each top-level Int, Float or Bool of a side of the signature, R for anything else. */
    private static String kinds(String side) {
        var kinds = new StringBuilder();
        int depth = 0;
        var word = new StringBuilder();
        for (char c : (side + " ").toCharArray()) {
            if (c == '<') depth++;
            if (c == '>') depth--;
            if (c == ' ' && depth == 0) {
                if (!word.isEmpty()) {
                    String w = word.toString();
                    kinds.append(w.equals("Int") || w.equals("Float") || w.equals("Bool") ? 'P' : 'R');
                }
                word.setLength(0);
            } else {
                word.append(c);
            }
        }
        return kinds.toString();
    }

    public int id() { return id; }

    /** The builtin with this id, or null when there is none. */
    public static Builtin of(int id) {
        return Codes.lookup(BY_ID, id);
    }
}

package dev.manaknight.lang.bytecode;

/**
 * Named limits of the module format. Each exists because an operand has that width; the
 * compiler reports a clear error before it would be crossed, and the verifier checks it again.
 */
public final class Limits {
    private Limits() {}

    /** Local slots per function: {@code LOAD_*}/{@code STORE_*} take a one-byte slot. */
    public static final int MAX_LOCALS = 256;
    /** Code bytes per function: jump targets are unsigned 16-bit offsets. */
    public static final int MAX_CODE = 65535;
    /** Constant-pool, type-table, function and effect entries: indices are unsigned 16-bit. */
    public static final int MAX_INDEX = 65536;
    /** Parameters per function (they are locals too, and each is pushed by its caller). */
    public static final int MAX_PARAMS = 64;
    /** Items in one list or map literal, and fields in one record: `LIST_NEW n` has 16 bits. */
    public static final int MAX_ITEMS = 65535;
    /** Parts joined by one `CONCAT n`: one byte. */
    public static final int MAX_CONCAT = 255;
    /** Operand-stack depth of one function. */
    public static final int MAX_STACK = 1024;
    /** Payload fields of one variant and fields of a record addressed by `GET_FIELD`: one byte. */
    public static final int MAX_FIELDS = 255;
    /** Variants of one enum: {@code ENUM_NEW T f} names the variant in one byte. */
    public static final int MAX_VARIANTS = 256;

    /** Bytes of one `.mkb` file: far above any real app, low enough that reading one cannot exhaust the heap. */
    public static final int MAX_MODULE_BYTES = 64 * 1024 * 1024;
    /** Nesting of one encoded type (`List<Option<…>>`): the reader recurses once per level. */
    public static final int MAX_TYPE_DEPTH = 32;
    /** Routes and tests per module: each names a function, whose index is 16 bits. */
    public static final int MAX_ENTRIES = 65536;
    /** Declared responses of one route: a handful of statuses in practice. */
    public static final int MAX_RESPONSES = 1024;
    /** Bytes of a Decimal constant's unscaled value (about 600 digits), so printing one stays cheap. */
    public static final int MAX_DECIMAL_BYTES = 256;
    /** Largest |scale| of a Decimal constant: `1E+2147483647` would make plain-text printing allocate gigabytes. */
    public static final int MAX_DECIMAL_SCALE = 1000;
}

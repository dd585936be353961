package dev.manaknight.lang.bytecode;

/** The tag bytes of the `.mkb` format, shared by {@link ModuleWriter} and {@link ModuleReader} (see mkb-format.md). */
final class FormatTag {
    private FormatTag() {}

    // Constants.
    static final int CONST_INT = 1;
    static final int CONST_FLOAT = 2;
    static final int CONST_STR = 3;
    static final int CONST_DEC = 4;

    // Types: the seven first scalars, then the constructors, then the later scalars.
    static final int TYPE_INT = 1;
    static final int TYPE_DECIMAL = 2;
    static final int TYPE_FLOAT = 3;
    static final int TYPE_BOOL = 4;
    static final int TYPE_STRING = 5;
    static final int TYPE_UNIT = 6;
    static final int TYPE_JSON = 7;
    static final int TYPE_LIST = 8;
    static final int TYPE_MAP = 9;
    static final int TYPE_OPTION = 10;
    static final int TYPE_RESULT = 11;
    static final int TYPE_NAMED = 12;
    static final int TYPE_INSTANT = 13;
    static final int TYPE_DURATION = 14;
    static final int TYPE_SECRET = 15;
    static final int TYPE_PATCH = 16;

    // Type-table entries.
    static final int DEF_RECORD = 1;
    static final int DEF_ENUM = 2;

    // Presence byte of an optional value.
    static final int ABSENT = 0;
    static final int PRESENT = 1;
}

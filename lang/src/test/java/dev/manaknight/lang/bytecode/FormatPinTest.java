package dev.manaknight.lang.bytecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.testing.Golden;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the `.mkb` bytes are pinned. Every byte value the format gives a meaning to is
 * written out here as a literal, and a real module's bytes are kept as a golden hex dump, so
 * moving a value, reordering an enum or changing the layout fails this test. Such a change needs
 * a new {@link Module#VERSION}: the golden dump records the version it was made with, and
 * `-Dgolden.update=true` refuses to rewrite it with different bytes under the same version
 * (see mkb-format.md, "Versions").
 */
class FormatPinTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/mkb");

    private static final Map<String, Integer> OPCODES = table("""
            NOP=0x00 CONST=0x01 CONST_INT=0x02 CONST_FLOAT=0x03 SMALL_INT=0x04 TRUE=0x05 FALSE=0x06 UNIT=0x07
            NONE=0x08 LOAD_P=0x09 LOAD_R=0x0A STORE_P=0x0B STORE_R=0x0C POP_P=0x0D POP_R=0x0E ADD_INT=0x0F
            SUB_INT=0x10 MUL_INT=0x11 DIV_INT=0x12 MOD_INT=0x13 NEG_INT=0x14 EQ_INT=0x15 NE_INT=0x16 LT_INT=0x17
            LE_INT=0x18 GT_INT=0x19 GE_INT=0x1A ADD_FLT=0x1B SUB_FLT=0x1C MUL_FLT=0x1D DIV_FLT=0x1E MOD_FLT=0x1F
            NEG_FLT=0x20 EQ_FLT=0x21 NE_FLT=0x22 LT_FLT=0x23 LE_FLT=0x24 GT_FLT=0x25 GE_FLT=0x26 ADD_DEC=0x27
            SUB_DEC=0x28 MUL_DEC=0x29 DIV_DEC=0x2A MOD_DEC=0x2B NEG_DEC=0x2C CMP_DEC=0x2D CMP_STR=0x2E LT0=0x2F
            LE0=0x30 GT0=0x31 GE0=0x32 EQ_R=0x33 NE_R=0x34 NOT=0x35 CONCAT=0x36 STR_INT=0x37
            STR_FLT=0x38 STR_BOOL=0x39 STR_ANY=0x3A BOX_INT=0x3B BOX_FLT=0x3C BOX_BOOL=0x3D UNBOX_INT=0x3E UNBOX_FLT=0x3F
            UNBOX_BOOL=0x40 LIST_NEW=0x41 LIST_CONCAT=0x42 LIST_LEN=0x43 LIST_INDEX=0x44 MAP_NEW=0x45 BUILDER_NEW=0x46
            BUILDER_ADD=0x47 BUILDER_LIST=0x48 RECORD_NEW=0x49 GET_FIELD=0x4A WITH_FIELD=0x4B ENUM_NEW=0x4C
            VARIANT=0x4D PAYLOAD=0x4E SOME=0x4F OK=0x50 ERR=0x51 JUMP=0x52 JUMP_IF_FALSE=0x53 JUMP_IF_TRUE=0x54
            LOOP=0x55 CALL=0x56 RET_P=0x57 RET_R=0x58 BUILTIN=0x59 EFFECT=0x5A JSON=0x5B TEXT=0x5C RESPOND=0x5D
            FAIL=0x5E EXPECT=0x5F REQUEST=0x60 EXPECT_FAILED=0x61 RESPOND_KEEP=0x62
            CONFIG_P=0x63 CONFIG_R=0x64 TO_JSON=0x65 FROM_JSON=0x66
            """);

    private static final Map<String, Integer> BUILTINS = table("""
            STR_LEN=0 STR_UPPER=1 STR_LOWER=2 STR_TRIM=3 STR_CONTAINS=4 STR_STARTS_WITH=5 STR_ENDS_WITH=6 STR_SPLIT=7
            STR_REPLACE=8 STR_TO_INT=9 STR_TO_DECIMAL=10 INT_TO_DECIMAL=11 INT_TO_FLOAT=12 INT_ABS=13 INT_MIN=14
            INT_MAX=15 DEC_TO_FLOAT=16 DEC_ABS=17 DEC_MIN=18 DEC_MAX=19 DEC_ROUND=20 FLT_TO_DECIMAL=21 FLT_ABS=22
            FLT_MIN=23 FLT_MAX=24 FLT_ROUND=25 LIST_GET=26 LIST_IS_EMPTY=27 LIST_FIRST=28 LIST_LAST=29 LIST_TAKE=30
            LIST_DROP=31 LIST_REVERSE=32 LIST_CONTAINS=33 LIST_JOIN=34 LIST_SORT_BY_KEYS=35 OPT_GET_OR=36
            OPT_IS_SOME=37 OPT_IS_NONE=38 MAP_GET=39 MAP_KEYS=40 MAP_VALUES=41 MAP_HAS=42 MAP_WITH=43 MAP_LEN=44
            STR_SLICE=45 STR_INDEX_OF=46 STR_PAD_START=47 STR_PAD_END=48 STR_REPEAT=49 INT_FORMAT=50 DEC_FORMAT=51
            DEC_TO_INT=52 VALUE_SHOW=53 STR_SHA256=54 STR_SHA512=55 STR_HMAC_SHA256=56 STR_EQUALS_CONSTANT_TIME=57
            STR_BASE64=58 STR_BASE64URL=59 STR_HEX=60 STR_FROM_BASE64=61 STR_FROM_BASE64URL=62 STR_FROM_HEX=63
            RE_MATCHES=64 RE_FIND=65 RE_FIND_ALL=66 RE_REPLACE_ALL=67 INSTANT_PLUS=68 INSTANT_MINUS=69 INSTANT_SINCE=70
            INSTANT_IS_BEFORE=71 INSTANT_IS_AFTER=72 INSTANT_EPOCH_MILLIS=73 STR_TO_INSTANT=74 DURATION_OF=75
            DURATION_PLUS=76 DURATION_MINUS=77 DURATION_TO_MILLIS=78
            SECRET_EQUALS=79 SECRET_HMAC_SHA256=80
            JSON_GET=81 JSON_AT=82 JSON_AS_TEXT=83 JSON_AS_INT=84 JSON_AS_DECIMAL=85 JSON_AS_BOOL=86 JSON_AS_LIST=87
            JSON_AS_MAP=88 JSON_IS_NULL=89 JSON_TO_TEXT=90 JSON_PARSE=91 RE_CAPTURES=92
            """);

    private static final Map<String, Integer> CAPABILITIES = table("DB=0 LOG=1 CLOCK=2 RANDOM=3 PASSWORD=4 HTTP=5");
    private static final Map<String, Integer> METHODS = table("GET=0 POST=1 PUT=2 PATCH=3 DELETE=4");
    private static final Map<String, Integer> SOURCES = table("PATH=0 QUERY=1 HEADER=2 BODY=3 RAW=4");
    private static final Map<String, Integer> BODY_KINDS = table("NONE=0 JSON=1 TEXT=2");

    @Test
    void opcodeByteValuesArePinned() {
        pinned("opcode", OPCODES, Opcode.values(), o -> o.code() & 0xFF, Opcode::of);
    }

    @Test
    void builtinIdsArePinned() {
        pinned("builtin", BUILTINS, Builtin.values(), Builtin::id, Builtin::of);
    }

    @Test
    void capabilityCodesAndBitsArePinned() {
        pinned("capability", CAPABILITIES, Capability.values(), Capability::code, Capability::of);
        for (Capability c : Capability.values()) assertEquals(1 << CAPABILITIES.get(c.name()), c.bit(), c + " bit");
    }

    @Test
    void httpMethodCodesArePinned() {
        pinned("HTTP method", METHODS, HttpMethod.values(), HttpMethod::code, HttpMethod::of);
    }

    @Test
    void routeSourceAndBodyKindCodesArePinned() {
        pinned("input source", SOURCES, Route.Source.values(), Route.Source::code, Route.Source::of);
        pinned("body kind", BODY_KINDS, Route.BodyKind.values(), Route.BodyKind::code, Route.BodyKind::of);
    }

    /** Issue 15 added Instant (13), Duration (14), Secret (15) and Patch (16) after the constructors: no earlier tag moved. */
    @Test
    void typeTagsArePinned() {
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16), List.of(FormatTag.TYPE_INT,
                FormatTag.TYPE_DECIMAL, FormatTag.TYPE_FLOAT, FormatTag.TYPE_BOOL, FormatTag.TYPE_STRING, FormatTag.TYPE_UNIT,
                FormatTag.TYPE_JSON, FormatTag.TYPE_LIST, FormatTag.TYPE_MAP, FormatTag.TYPE_OPTION, FormatTag.TYPE_RESULT,
                FormatTag.TYPE_NAMED, FormatTag.TYPE_INSTANT, FormatTag.TYPE_DURATION, FormatTag.TYPE_SECRET,
                FormatTag.TYPE_PATCH));
    }

    @Test
    void unknownBytesDecodeToNothingNotToAnOrdinal() {
        for (int b = 0; b < 256; b++) {
            if (!OPCODES.containsValue(b)) assertNull(Opcode.of(b), "byte " + b);
            if (!BUILTINS.containsValue(b)) assertNull(Builtin.of(b), "builtin " + b);
        }
        assertNull(Opcode.of(-1));
        assertNull(Builtin.of(0xFFFF));
        assertNull(Capability.of(6));
        assertNull(HttpMethod.of(5));
    }

    /**
     * The bytes of a real compiled app. A difference means the format changed: if that is meant,
     * bump {@link Module#VERSION} and rerun with `-Dgolden.update=true`, which refuses to record
     * new bytes under the version of the old ones.
     */
    @Test
    void aCompiledAppsBytesArePinned() throws Exception {
        String source = Files.readString(GOLDEN.resolve("users.mnk"));
        Module module = Compiler.compile(List.of(new SourceFile("users.mnk", source)));
        byte[] bytes = ModuleWriter.toBytes(module);
        Path file = GOLDEN.resolve("users.mkb.hex");
        if (Golden.updating() && Files.exists(file)) {
            String old = Files.readString(file);
            if (!dumpBody(old).equals(dumpBody(dump(bytes))) && version(old) == Module.VERSION)
                fail("the module bytes changed but Module.VERSION is still " + Module.VERSION
                        + ": bump it (mkb-format.md, \"Versions\") before updating " + file);
        }
        Golden.check(file, dump(bytes));
        assertSameModuleBack(module, bytes);
    }

    /** `# .mkb format version N` then offset + 16 bytes per line. */
    static String dump(byte[] bytes) {
        var sb = new StringBuilder("# .mkb format version " + Module.VERSION + ", " + bytes.length + " bytes\n");
        HexFormat hex = HexFormat.ofDelimiter(" ");
        for (int at = 0; at < bytes.length; at += 16) {
            sb.append(String.format("%08x  ", at)).append(hex.formatHex(bytes, at, Math.min(bytes.length, at + 16))).append('\n');
        }
        return sb.toString();
    }

    private static String dumpBody(String dump) {
        return dump.substring(dump.indexOf('\n') + 1);
    }

    private static int version(String dump) {
        String head = dump.substring(0, dump.indexOf('\n'));
        return Integer.parseInt(head.replaceAll("^# \\.mkb format version (\\d+),.*$", "$1"));
    }

    private static void assertSameModuleBack(Module module, byte[] bytes) throws ModuleFormatException {
        ModuleAssert.assertSameModule(module, ModuleReader.read(bytes));
    }

    private static <E extends Enum<E>> void pinned(String what, Map<String, Integer> expected, E[] values,
                                                   ToIntFunction<E> code, IntFunction<E> of) {
        var actual = new TreeMap<String, Integer>();
        for (E e : values) actual.put(e.name(), code.applyAsInt(e));
        assertEquals(new TreeMap<>(expected), actual, "every " + what + " and its byte value (a new one takes a free value;"
                + " a moved one needs a new format version)");
        for (E e : values) assertSame(e, of.apply(code.applyAsInt(e)), what + " " + e + " decodes from its own value");
    }

    private static Map<String, Integer> table(String text) {
        var out = new LinkedHashMap<String, Integer>();
        for (String pair : text.trim().split("\\s+")) {
            String[] kv = pair.split("=");
            out.put(kv[0], Integer.decode(kv[1]));
        }
        if (out.size() != Arrays.stream(text.trim().split("\\s+")).count()) throw new IllegalStateException("duplicate name");
        return out;
    }
}

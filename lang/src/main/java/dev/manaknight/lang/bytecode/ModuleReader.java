package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Reads a `.mkb` file back into a {@link Module}; any malformation is a {@link ModuleFormatException}.
 * It checks the format only (see mkb-format.md): every count and length against the bytes left
 * and the named {@link Limits} before anything is allocated, every tag and enum code, UTF-8,
 * and that nothing follows the last section. Whether indices, kinds and code make sense is the
 * verifier's job.
 */
public final class ModuleReader {
    // Fewest bytes one entry of each kind can take, so that a count can be refused before the
    // list for it is allocated.
    private static final int MIN_CONSTANT = 5;
    private static final int MIN_TYPE_DEF = 9;
    private static final int MIN_TYPE = 1;
    private static final int MIN_FIELD = 5;
    private static final int MIN_VARIANT = 8;
    private static final int MIN_FUNCTION = 26;
    private static final int MIN_EFFECT = 11;
    private static final int MIN_EFFECT_PARAM = 5;
    private static final int MIN_ROUTE = 26;
    private static final int MIN_INPUT = 11;
    private static final int MIN_RESPONSE = 6;
    private static final int MIN_TEST = 17;
    private static final int MIN_SETTING = 6;
    private static final int LINE_PAIR = 8;

    private final byte[] bytes;
    private int pos;
    /** What is being read, for messages: "function 3 (`GET /users/:id`)". */
    private String where = "header";

    private ModuleReader(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Module read(InputStream in) throws IOException, ModuleFormatException {
        byte[] bytes = in.readNBytes(Limits.MAX_MODULE_BYTES + 1);
        if (bytes.length > Limits.MAX_MODULE_BYTES)
            throw new ModuleFormatException("file is larger than Limits.MAX_MODULE_BYTES (" + Limits.MAX_MODULE_BYTES + " bytes)");
        return read(bytes);
    }

    public static Module read(byte[] bytes) throws ModuleFormatException {
        if (bytes.length > Limits.MAX_MODULE_BYTES)
            throw new ModuleFormatException("file is larger than Limits.MAX_MODULE_BYTES (" + Limits.MAX_MODULE_BYTES + " bytes)");
        return new ModuleReader(bytes).module();
    }

    private Module module() throws ModuleFormatException {
        int magic = i32("magic number");
        if (magic != Module.MAGIC)
            throw fail(0, String.format("not a Manaknight module: magic is 0x%08X, expected 0x%08X", magic, Module.MAGIC));
        int version = u16("format version");
        if (version != Module.VERSION)
            throw fail(4, "unsupported format version " + version + " (this reader knows version " + Module.VERSION + ")");

        where = "constant table";
        int n = count("constants", Limits.MAX_INDEX, MIN_CONSTANT);
        var constants = new ArrayList<Constant>(n);
        for (int i = 0; i < n; i++) {
            where = "constant " + i;
            constants.add(constant());
        }

        where = "type table";
        n = count("types", Limits.MAX_INDEX, MIN_TYPE_DEF);
        var types = new ArrayList<TypeDef>(n);
        for (int i = 0; i < n; i++) {
            where = "type T" + i;
            types.add(typeDef());
        }

        where = "type references";
        n = count("type references", Limits.MAX_INDEX, MIN_TYPE);
        var typeRefs = new ArrayList<Type>(n);
        for (int i = 0; i < n; i++) {
            where = "type reference J" + i;
            typeRefs.add(type(0));
        }

        where = "function table";
        n = count("functions", Limits.MAX_INDEX, MIN_FUNCTION);
        var functions = new ArrayList<Function>(n);
        for (int i = 0; i < n; i++) {
            where = "function F" + i;
            functions.add(function(i));
        }

        where = "effect table";
        n = count("effects", Limits.MAX_INDEX, MIN_EFFECT);
        var effects = new ArrayList<EffectOp>(n);
        for (int i = 0; i < n; i++) {
            where = "effect E" + i;
            effects.add(effect());
        }

        where = "route table";
        n = count("routes", Limits.MAX_ENTRIES, MIN_ROUTE);
        var routes = new ArrayList<Route>(n);
        for (int i = 0; i < n; i++) {
            where = "route " + i;
            routes.add(route());
        }

        where = "test table";
        n = count("tests", Limits.MAX_ENTRIES, MIN_TEST);
        var tests = new ArrayList<TestCase>(n);
        for (int i = 0; i < n; i++) {
            where = "test " + i;
            tests.add(test());
        }

        where = "config table";
        n = count("config keys", Limits.MAX_INDEX, MIN_SETTING);
        var settings = new ArrayList<Setting>(n);
        for (int i = 0; i < n; i++) {
            where = "config key " + i;
            settings.add(setting());
        }

        where = "end of module";
        if (pos != bytes.length) throw fail(pos, (bytes.length - pos) + " trailing bytes after the last section");
        return new Module(constants, types, typeRefs, functions, effects, routes, tests, settings);
    }

    private Constant constant() throws ModuleFormatException {
        int at = pos;
        int tag = u8("constant tag");
        return switch (tag) {
            case FormatTag.CONST_INT -> new Constant.IntConst(i64("Int constant"));
            case FormatTag.CONST_FLOAT -> new Constant.FloatConst(Double.longBitsToDouble(i64("Float constant")));
            case FormatTag.CONST_STR -> new Constant.StrConst(string("String constant"));
            case FormatTag.CONST_DEC -> decimal();
            default -> throw fail(at, "unknown constant tag " + tag);
        };
    }

    private Constant decimal() throws ModuleFormatException {
        int at = pos;
        int length = i32("Decimal length");
        if (length < 1 || length > Limits.MAX_DECIMAL_BYTES)
            throw fail(at, "Decimal unscaled length " + Integer.toUnsignedString(length)
                    + " is outside 1..Limits.MAX_DECIMAL_BYTES (" + Limits.MAX_DECIMAL_BYTES + ")");
        byte[] unscaled = take(length, "Decimal unscaled value");
        at = pos;
        int scale = i32("Decimal scale");
        if (scale < -Limits.MAX_DECIMAL_SCALE || scale > Limits.MAX_DECIMAL_SCALE)
            throw fail(at, "Decimal scale " + scale + " is beyond Limits.MAX_DECIMAL_SCALE (" + Limits.MAX_DECIMAL_SCALE + ")");
        return new Constant.DecConst(new BigDecimal(new BigInteger(unscaled), scale));
    }

    private Type type(int depth) throws ModuleFormatException {
        int at = pos;
        if (depth >= Limits.MAX_TYPE_DEPTH)
            throw fail(at, "type nested deeper than Limits.MAX_TYPE_DEPTH (" + Limits.MAX_TYPE_DEPTH + ")");
        int tag = u8("type tag");
        return switch (tag) {
            case FormatTag.TYPE_INT -> Type.INT;
            case FormatTag.TYPE_DECIMAL -> Type.DECIMAL;
            case FormatTag.TYPE_FLOAT -> Type.FLOAT;
            case FormatTag.TYPE_BOOL -> Type.BOOL;
            case FormatTag.TYPE_STRING -> Type.STRING;
            case FormatTag.TYPE_UNIT -> Type.UNIT;
            case FormatTag.TYPE_JSON -> Type.JSON;
            case FormatTag.TYPE_INSTANT -> Type.INSTANT;
            case FormatTag.TYPE_DURATION -> Type.DURATION;
            case FormatTag.TYPE_SECRET -> Type.SECRET;
            case FormatTag.TYPE_LIST -> new Type.ListOf(type(depth + 1));
            case FormatTag.TYPE_MAP -> new Type.MapOf(type(depth + 1));
            case FormatTag.TYPE_OPTION -> new Type.OptionOf(type(depth + 1));
            case FormatTag.TYPE_PATCH -> new Type.PatchOf(type(depth + 1));
            case FormatTag.TYPE_RESULT -> {
                Type ok = type(depth + 1);
                yield new Type.ResultOf(ok, type(depth + 1));
            }
            case FormatTag.TYPE_NAMED -> new Type.Named(string("type name"));
            default -> throw fail(at, "unknown type tag " + tag);
        };
    }

    private TypeDef typeDef() throws ModuleFormatException {
        int at = pos;
        int tag = u8("type-table tag");
        return switch (tag) {
            case FormatTag.DEF_RECORD -> {
                String name = string("record name");
                where = where + " (" + name + ")";
                yield new TypeDef.RecordDef(name, fields("record fields"));
            }
            case FormatTag.DEF_ENUM -> {
                String name = string("enum name");
                where = where + " (" + name + ")";
                int n = count("variants", Limits.MAX_VARIANTS, MIN_VARIANT);
                var variants = new ArrayList<TypeDef.VariantDef>(n);
                for (int i = 0; i < n; i++) {
                    String variant = string("variant name");
                    variants.add(new TypeDef.VariantDef(variant, fields("payload fields of " + variant)));
                }
                yield new TypeDef.EnumDef(name, variants);
            }
            default -> throw fail(at, "unknown type-table tag " + tag);
        };
    }

    private List<TypeDef.FieldDef> fields(String what) throws ModuleFormatException {
        int n = count(what, Limits.MAX_FIELDS, MIN_FIELD);
        var fields = new ArrayList<TypeDef.FieldDef>(n);
        for (int i = 0; i < n; i++) {
            String name = string("field name");
            fields.add(new TypeDef.FieldDef(name, type(0)));
        }
        return fields;
    }

    private Function function(int index) throws ModuleFormatException {
        String name = string("function name");
        where = "function F" + index + " (" + name + ")";
        String file = optionalString("function file");
        int n = count("parameters", Limits.MAX_PARAMS, MIN_TYPE);
        var params = new ArrayList<Type>(n);
        for (int i = 0; i < n; i++) params.add(type(0));
        Type result = type(0);
        int locals = u16("locals");
        int maxStack = u16("maxStack");
        int capabilities = i32("capabilities");
        int codeLength = count("code length", Limits.MAX_CODE, 1);
        byte[] code = take(codeLength, "code");
        int pairs = count("line-table entries", Limits.MAX_CODE, LINE_PAIR);
        int[] lines = new int[pairs * 2];
        for (int i = 0; i < lines.length; i++) lines[i] = i32("line table");
        return new Function(name, file, params, result, locals, maxStack, capabilities, code, lines);
    }

    private EffectOp effect() throws ModuleFormatException {
        Capability capability = coded(Capability::of, "capability");
        String name = string("effect name");
        where = where + " (" + capability.sourceName() + "." + name + ")";
        int n = count("effect parameters", Limits.MAX_PARAMS, MIN_EFFECT_PARAM);
        var params = new ArrayList<EffectOp.Param>(n);
        for (int i = 0; i < n; i++) {
            String param = string("parameter name");
            params.add(new EffectOp.Param(param, type(0)));
        }
        Type result = type(0);
        return new EffectOp(capability, name, params, result, optionalString("sql"));
    }

    private Route route() throws ModuleFormatException {
        HttpMethod method = coded(HttpMethod::of, "HTTP method");
        String path = string("route path");
        where = where + " (" + method + " " + path + ")";
        int handler = i32("handler");
        int n = count("inputs", Limits.MAX_PARAMS, MIN_INPUT);
        var inputs = new ArrayList<Route.Input>(n);
        for (int i = 0; i < n; i++) {
            Route.Source source = coded(Route.Source::of, "input source");
            String name = string("input name");
            String wireName = string("input wire name");
            Type type = type(0);
            Constant defaultValue = present("input default") ? constant() : null;
            inputs.add(new Route.Input(source, name, wireName, type, defaultValue));
        }
        int capabilities = i32("capabilities");
        n = count("responses", Limits.MAX_RESPONSES, MIN_RESPONSE);
        var responses = new ArrayList<Route.Response>(n);
        for (int i = 0; i < n; i++) {
            int status = i32("response status");
            Route.BodyKind body = coded(Route.BodyKind::of, "response body kind");
            Type type = present("response type") ? type(0) : null;
            responses.add(new Route.Response(status, body, type));
        }
        String file = optionalString("route file");
        return new Route(method, path, handler, inputs, capabilities, responses, file, i32("route line"));
    }

    private TestCase test() throws ModuleFormatException {
        String name = string("test name");
        where = where + " (\"" + name + "\")";
        int function = i32("test function");
        int capabilities = i32("test capabilities");
        String file = optionalString("test file");
        return new TestCase(name, function, capabilities, file, i32("test line"));
    }

    private Setting setting() throws ModuleFormatException {
        String name = string("config key name");
        where = where + " (" + name + ")";
        Type type = type(0);
        return new Setting(name, type, present("config default") ? constant() : null);
    }

    // --- primitives -------------------------------------------------------------------------

    /** A u8 code of a pinned enumeration, looked up by its code (never as an ordinal). */
    private <E> E coded(IntFunction<E> of, String what) throws ModuleFormatException {
        int at = pos;
        int code = u8(what);
        E e = of.apply(code);
        if (e == null) throw fail(at, what + ": code " + code + " names none");
        return e;
    }

    private boolean present(String what) throws ModuleFormatException {
        int at = pos;
        int flag = u8(what + " presence");
        return switch (flag) {
            case FormatTag.ABSENT -> false;
            case FormatTag.PRESENT -> true;
            default -> throw fail(at, what + ": presence byte " + flag + " is neither 0 nor 1");
        };
    }

    private String optionalString(String what) throws ModuleFormatException {
        return present(what) ? string(what) : null;
    }

    /** u32 byte length, then strict UTF-8. */
    private String string(String what) throws ModuleFormatException {
        int length = count(what + " length", Integer.MAX_VALUE, 1);
        int at = pos;
        byte[] raw = take(length, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail(at, what + " is not valid UTF-8");
        }
    }

    /**
     * A u32 count or length: refused when it exceeds `limit`, or when `count * minBytes` is more
     * than the bytes left (so a forged 2^31 never allocates).
     */
    private int count(String what, int limit, int minBytes) throws ModuleFormatException {
        int at = pos;
        long n = Integer.toUnsignedLong(i32(what));
        if (n > limit) throw fail(at, what + " " + n + " exceeds the limit " + limit);
        long need = n * minBytes;
        if (need > bytes.length - pos)
            throw fail(at, what + " " + n + " needs at least " + need + " bytes, only " + (bytes.length - pos) + " remain");
        return (int) n;
    }

    private byte[] take(int n, String what) throws ModuleFormatException {
        need(n, what);
        byte[] out = new byte[n];
        System.arraycopy(bytes, pos, out, 0, n);
        pos += n;
        return out;
    }

    private int u8(String what) throws ModuleFormatException {
        need(1, what);
        return bytes[pos++] & 0xFF;
    }

    private int u16(String what) throws ModuleFormatException {
        need(2, what);
        int v = ((bytes[pos] & 0xFF) << 8) | (bytes[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    private int i32(String what) throws ModuleFormatException {
        need(4, what);
        int v = ((bytes[pos] & 0xFF) << 24) | ((bytes[pos + 1] & 0xFF) << 16) | ((bytes[pos + 2] & 0xFF) << 8)
                | (bytes[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    private long i64(String what) throws ModuleFormatException {
        long hi = Integer.toUnsignedLong(i32(what));
        long lo = Integer.toUnsignedLong(i32(what));
        return (hi << 32) | lo;
    }

    private void need(int n, String what) throws ModuleFormatException {
        if (n > bytes.length - pos)
            throw fail(pos, "truncated: " + what + " needs " + n + " bytes, only " + (bytes.length - pos) + " remain");
    }

    private ModuleFormatException fail(int offset, String message) {
        return new ModuleFormatException("at byte " + offset + " in " + where + ": " + message);
    }
}

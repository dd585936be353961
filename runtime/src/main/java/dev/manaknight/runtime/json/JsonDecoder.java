package dev.manaknight.runtime.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.TimeText;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.InputError;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads JSON into VM values of a declared type, collecting every mismatch with its JSON pointer
 * instead of stopping at the first. The mapping is the encoder's, read back (runtime.md).
 */
public final class JsonDecoder {
    /**
     * Digits a Decimal may have before or after the point. JSON like `1e999999999` is short,
     * but its plain form would be a gigabyte: refuse it at the door.
     */
    public static final int MAX_DECIMAL_DIGITS = 1000;
    /** The detail of a value that is no Instant. */
    public static final String INSTANT_FORM = "must be an RFC 3339 date-time such as 2026-01-02T03:04:05Z (years 0000 to 9999)";
    /** The detail of a value that is no Duration. */
    public static final String DURATION_FORM = "must be an ISO 8601 duration such as PT15M";

    /**
     * The mapper that reads request bodies, built on first use, so that a process that never
     * parses one (a CGI GET) does not build it (an ObjectMapper is costly cold; RESULTS.md §8).
     */
    private static final class Reader {
        static final ObjectMapper MAPPER = JsonMapper.builder(Json.FACTORY)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .build();
    }

    private final TypeTable types;

    public JsonDecoder(TypeTable types) {
        this.types = types;
    }

    /** Parses JSON text into a tree; a syntax error is an IOException ({@link ReadError} words it). */
    public static JsonNode parse(byte[] json) throws IOException {
        try (JsonParser p = Reader.MAPPER.createParser(json)) {
            JsonNode n = Reader.MAPPER.readTree(p);
            if (n == null) throw new IOException("the body is empty");
            return n;
        }
    }

    /** Decodes `node` as `type`; errors go to `errors` with pointers below `pointer`. */
    public Object decode(JsonNode node, Type type, String pointer, List<InputError> errors) {
        return switch (type) {
            case Type.Prim p -> prim(node, p, pointer, errors);
            case Type.OptionOf o -> node == null || node.isNull() ? Values.None.NONE
                    : wrapSome(decode(node, o.value(), pointer, errors));
            // Patch.absent, Patch.null and Patch.set(v), held as none, some(none) and some(some(v)).
            case Type.PatchOf pa -> node == null ? Values.None.NONE
                    : node.isNull() ? new Values.Some(Values.None.NONE)
                    : wrapSome(wrapSome(decode(node, pa.value(), pointer, errors)));
            case Type.ListOf l -> {
                if (!node.isArray()) yield fail(errors, pointer, "must be an array");
                var items = new Object[node.size()];
                for (int i = 0; i < items.length; i++) items[i] = decode(node.get(i), l.element(), pointer + "/" + i, errors);
                yield new Values.ListValue(items);
            }
            case Type.MapOf m -> {
                if (!node.isObject()) yield fail(errors, pointer, "must be an object");
                var keys = new String[node.size()];
                var values = new Object[node.size()];
                int i = 0;
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    keys[i] = e.getKey();
                    values[i++] = decode(e.getValue(), m.value(), pointer + "/" + escape(e.getKey()), errors);
                }
                yield new Values.MapValue(keys, values);
            }
            case Type.ResultOf r -> {
                if (!node.isObject() || node.size() != 1 || !(node.has("ok") || node.has("err")))
                    yield fail(errors, pointer, "must be {\"ok\": …} or {\"err\": …}");
                yield node.has("ok") ? new Values.Ok(decode(node.get("ok"), r.ok(), pointer + "/ok", errors))
                        : new Values.Err(decode(node.get("err"), r.err(), pointer + "/err", errors));
            }
            case Type.Named n -> named(node, n, pointer, errors);
        };
    }

    private static Object wrapSome(Object v) { return v == null ? null : new Values.Some(v); }

    private Object prim(JsonNode node, Type.Prim p, String pointer, List<InputError> errors) {
        if (node == null || node.isNull()) {
            if (p == Type.Prim.JSON && node != null) return Values.JsonNull.NULL;
            return fail(errors, pointer, node == null ? "is required" : "must not be null");
        }
        return switch (p) {
            case INT -> node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue()
                    : fail(errors, pointer, node.isIntegralNumber() ? "is out of range for Int" : "must be an integer");
            case DECIMAL -> {
                if (!node.isNumber()) yield fail(errors, pointer, "must be a number");
                BigDecimal d = node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue()) : node.decimalValue();
                yield decimalInRange(d) ? d : fail(errors, pointer, TOO_MANY_DIGITS);
            }
            case FLOAT -> {
                if (!node.isNumber()) yield fail(errors, pointer, "must be a number");
                double d = node.doubleValue();
                yield Double.isFinite(d) ? (Object) d : fail(errors, pointer, "is out of range for Float");
            }
            case BOOL -> node.isBoolean() ? (Object) node.booleanValue() : fail(errors, pointer, "must be true or false");
            case STRING -> node.isTextual() ? text(node.textValue(), pointer, errors) : fail(errors, pointer, "must be a string");
            case UNIT -> Values.Unit.UNIT;
            case JSON -> json(node, pointer, errors);
            case INSTANT -> {
                java.time.Instant t = node.isTextual() ? TimeText.parse(node.textValue()) : null;
                yield t != null ? t : fail(errors, pointer, INSTANT_FORM);
            }
            case DURATION -> {
                java.time.Duration d = node.isTextual() ? TimeText.parseDuration(node.textValue()) : null;
                yield d != null ? d : fail(errors, pointer, DURATION_FORM);
            }
            // No input holds a Secret (the checker and the verifier refuse it): a secret never comes from a request.
            case SECRET -> fail(errors, pointer, "cannot be read from a request");
        };
    }

    /** The detail of a number past {@link #MAX_DECIMAL_DIGITS}. */
    public static final String TOO_MANY_DIGITS =
            "has more than " + MAX_DECIMAL_DIGITS + " digits before or after the decimal point";

    /**
     * A JSON string as a VM String, when it is Unicode text. JSON's `\\uD800` escape can name half
     * of a surrogate pair alone (RFC 8259 §8.2), which is no character: written back out as UTF-8
     * it became `?`. Jackson refuses one in a member name; here it is refused in a value.
     */
    private static Object text(String s, String pointer, List<InputError> errors) {
        int bad = loneSurrogate(s);
        return bad < 0 ? s : fail(errors, pointer, "has a lone surrogate (U+" + String.format("%04X", (int) s.charAt(bad))
                + "), which is not a Unicode character");
    }

    /** The index of the first surrogate that is not half of a pair, or -1. */
    static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else return i;
        }
        return -1;
    }

    /** Whether a Decimal's plain form stays below {@link #MAX_DECIMAL_DIGITS} on each side of the point. */
    public static boolean decimalInRange(BigDecimal d) {
        int scale = d.scale();
        int intDigits = d.precision() - scale;
        return scale <= MAX_DECIMAL_DIGITS && intDigits <= MAX_DECIMAL_DIGITS;
    }

    private Object named(JsonNode node, Type.Named n, String pointer, List<InputError> errors) {
        if (node == null || node.isNull()) return fail(errors, pointer, node == null ? "is required" : "must not be null");
        int index = types.index(n.name());
        return switch (types.def(n.name())) {
            case TypeDef.RecordDef r -> {
                if (!node.isObject()) yield fail(errors, pointer, "must be an object");
                Object[] fields = fields(node, r.fields(), Set.of(), pointer, errors);
                yield fields == null ? null : new Values.RecordValue(index, r.name(), types.fieldNames(index), fields);
            }
            case TypeDef.EnumDef e -> enumValue(node, e, index, pointer, errors);
        };
    }

    private Object enumValue(JsonNode node, TypeDef.EnumDef e, int index, String pointer, List<InputError> errors) {
        String name;
        if (node.isTextual()) name = node.textValue();
        else if (!e.plain() && node.isObject() && node.path("type").isTextual()) name = node.get("type").textValue();
        else return fail(errors, pointer, e.plain() ? "must be one of " + variantNames(e)
                : "must be an object {\"type\": …} naming one of " + variantNames(e));
        int v = e.variantIndex(name);
        if (v < 0) return fail(errors, node.isTextual() ? pointer : pointer + "/type", "must be one of " + variantNames(e));
        TypeDef.VariantDef variant = e.variants().get(v);
        if (node.isTextual()) {
            if (!variant.fields().isEmpty()) return fail(errors, pointer, "variant `" + name + "` needs its fields in an object");
            return new Values.EnumValue(index, v, name, new Object[0]);
        }
        Object[] payload = fields(node, variant.fields(), Set.of("type"), pointer, errors);
        return payload == null ? null : new Values.EnumValue(index, v, name, payload);
    }

    /** Reads declared fields from an object; unknown members are errors (runtime.md). */
    private Object[] fields(JsonNode node, List<TypeDef.FieldDef> defs, Set<String> reserved, String pointer,
                            List<InputError> errors) {
        int before = errors.size();
        var known = new HashSet<String>(reserved);
        var out = new Object[defs.size()];
        for (int i = 0; i < defs.size(); i++) {
            TypeDef.FieldDef f = defs.get(i);
            known.add(f.name());
            JsonNode child = node.get(f.name());
            String at = pointer + "/" + escape(f.name());
            if (child == null && !f.type().mayBeLeftOut()) fail(errors, at, "is required");
            else out[i] = decode(child, f.type(), at, errors);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) fail(errors, pointer + "/" + escape(name), "is not a field of this type");
        }
        return errors.size() == before ? out : null;
    }

    /**
     * Any JSON as a `Json` value: objects are maps, integers that fit are Int, other numbers Decimal.
     * Unchecked: for JSON the app's own database holds (a request's goes through {@link #decode}).
     */
    public static Object json(JsonNode n) { return json(n, "", null); }

    /**
     * Any JSON as a `Json` value held to a request body's limits (see below): the value, or null
     * with the errors in `errors` (`Json.parse` in a handler, {@link JsonText}).
     */
    public static Object checkedJson(JsonNode n, List<InputError> errors) {
        int before = errors.size();
        Object v = json(n, "", errors);
        return errors.size() == before ? v : null;
    }

    /**
     * A request's JSON as a `Json` value, held to a Decimal's limits: a number past
     * {@link #MAX_DECIMAL_DIGITS} (`1e200000` is 8 bytes in and would be 200 KB printed) and a
     * string with a lone surrogate are errors at their pointer. With `errors` null, nothing is checked.
     */
    private static Object json(JsonNode n, String pointer, List<InputError> errors) {
        JsonNodeType t = n.getNodeType();
        return switch (t) {
            case OBJECT -> {
                var keys = new String[n.size()];
                var values = new Object[n.size()];
                int i = 0;
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    keys[i] = e.getKey();
                    values[i++] = json(e.getValue(), errors == null ? pointer : pointer + "/" + escape(e.getKey()), errors);
                }
                yield new Values.MapValue(keys, values);
            }
            case ARRAY -> {
                var items = new ArrayList<Object>(n.size());
                for (JsonNode c : n) items.add(json(c, errors == null ? pointer : pointer + "/" + items.size(), errors));
                yield new Values.ListValue(items.toArray());
            }
            case NUMBER -> {
                if (n.isIntegralNumber() && n.canConvertToLong()) yield n.longValue();
                BigDecimal d = n.isIntegralNumber() ? new BigDecimal(n.bigIntegerValue()) : n.decimalValue();
                yield errors == null || decimalInRange(d) ? d : fail(errors, pointer, TOO_MANY_DIGITS);
            }
            case STRING -> errors == null ? n.textValue() : text(n.textValue(), pointer, errors);
            case BOOLEAN -> n.booleanValue();
            default -> Values.JsonNull.NULL;
        };
    }

    private static String variantNames(TypeDef.EnumDef e) {
        return String.join(", ", e.variants().stream().map(TypeDef.VariantDef::name).toList());
    }

    /** RFC 6901: `~` → `~0`, `/` → `~1`. */
    public static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static Object fail(List<InputError> errors, String pointer, String detail) {
        errors.add(new InputError(pointer, detail));
        return null;
    }
}

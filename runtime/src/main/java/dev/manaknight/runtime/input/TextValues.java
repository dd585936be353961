package dev.manaknight.runtime.input;

import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.TimeText;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.json.JsonDecoder;
import dev.manaknight.runtime.json.TypeTable;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Parses one path, query or header text as a scalar input type, strictly: `Int` is decimal
 * digits in 64 bits, `Decimal` plain digits with an optional fraction, `Float` a JSON number,
 * `Bool` exactly `true`/`false`, a plain enum a variant name (runtime.md).
 */
final class TextValues {
    private static final Pattern INT = Pattern.compile("-?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private static final Pattern FLOAT = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final TypeTable types;

    TextValues(TypeTable types) {
        this.types = types;
    }

    /** The value, or a {@link Bad} carrying the detail. */
    Object parse(Type type, String text) {
        return switch (type) {
            case Type.Prim p -> switch (p) {
                case INT -> {
                    if (!INT.matcher(text).matches()) yield new Bad("must be an integer");
                    try {
                        yield Long.parseLong(text);
                    } catch (NumberFormatException e) {
                        yield new Bad("is out of range for Int");
                    }
                }
                case DECIMAL -> {
                    if (!DECIMAL.matcher(text).matches()) yield new Bad("must be a decimal number");
                    BigDecimal d = new BigDecimal(text);
                    yield JsonDecoder.decimalInRange(d) ? d : new Bad(JsonDecoder.TOO_MANY_DIGITS);
                }
                case FLOAT -> {
                    if (!FLOAT.matcher(text).matches()) yield new Bad("must be a number");
                    double d = Double.parseDouble(text);
                    yield Double.isFinite(d) ? (Object) d : new Bad("is out of range for Float");
                }
                case BOOL -> text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE
                        : new Bad("must be true or false");
                case STRING -> text;
                case INSTANT -> {
                    java.time.Instant t = TimeText.parse(text);
                    yield t != null ? t : new Bad(JsonDecoder.INSTANT_FORM);
                }
                case DURATION -> {
                    java.time.Duration d = TimeText.parseDuration(text);
                    yield d != null ? d : new Bad(JsonDecoder.DURATION_FORM);
                }
                case UNIT, JSON, SECRET -> new Bad("type " + p + " cannot be read from text");
            };
            case Type.OptionOf o -> {
                Object v = parse(o.value(), text);
                yield v instanceof Bad ? v : new Values.Some(v);
            }
            case Type.Named n -> {
                int index = types.index(n.name());
                if (!(types.def(n.name()) instanceof TypeDef.EnumDef e) || !e.plain())
                    yield new Bad("type " + n + " cannot be read from text");
                int v = e.variantIndex(text);
                yield v < 0 ? new Bad("must be one of " + String.join(", ", e.variants().stream().map(TypeDef.VariantDef::name).toList()))
                        : new Values.EnumValue(index, v, text, new Object[0]);
            }
            default -> new Bad("type " + type + " cannot be read from text");
        };
    }

    /** A default from the constant pool as a value of the input's type. */
    Object fromConstant(Type type, Constant c) {
        Type base = type instanceof Type.OptionOf o ? o.value() : type;
        Object v = switch (c) {
            case Constant.IntConst i when base == Type.BOOL -> i.value() != 0;
            case Constant.StrConst s when base instanceof Type.Named || base == Type.BOOL -> parse(base, s.value());
            case Constant.IntConst i when base == Type.DECIMAL -> BigDecimal.valueOf(i.value());
            case Constant.IntConst i when base == Type.FLOAT -> (double) i.value();
            default -> c.boxed();
        };
        if (v instanceof Bad b) throw new IllegalStateException("default " + c + " does not fit " + type + ": " + b.detail());
        return type instanceof Type.OptionOf ? new Values.Some(v) : v;
    }

    /** A text that does not parse. */
    record Bad(String detail) {}
}

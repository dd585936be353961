package dev.manaknight.runtime.effects;

import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.TimeText;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Host.EffectFailure;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.json.JsonDecoder;
import dev.manaknight.runtime.json.TypeTable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Binds VM values to statement parameters by type and maps results back by the rules of
 * Option 0/1 row, List all rows, record exactly one row, scalar one row of one
 * column (or the affected-row count), Unit ignored; record fields from columns by name.
 */
public final class ResultMapper {
    private final TypeTable types;

    public ResultMapper(TypeTable types) {
        this.types = types;
    }

    /**
     * Binds one value; `Option` none and `Json` null become SQL NULL, a `Json` value its JSON text
     * (a number or a string too: `5`, `"a"`), a plain enum its variant's name.
     */
    public void bind(PreparedStatement ps, int index, Type type, Object v) throws SQLException {
        if (type == Type.JSON) {
            if (v instanceof Values.JsonNull) ps.setNull(index, Types.NULL);
            else ps.setString(index, jsonText(v));
            return;
        }
        switch (v) {
            case Values.None n -> ps.setNull(index, Types.NULL);
            case Values.Some s -> bind(ps, index, type instanceof Type.OptionOf o ? o.value() : type, s.value());
            case Long l -> ps.setLong(index, l);
            case Boolean b -> ps.setBoolean(index, b);
            case Double d -> ps.setDouble(index, d);
            case BigDecimal d -> ps.setBigDecimal(index, d);
            case Instant t -> bindInstant(ps, index, t);
            case Duration d -> ps.setLong(index, d.toMillis());
            case String s -> ps.setString(index, s);
            case Values.EnumValue e when e.payload().length == 0 -> ps.setString(index, e.variantName());
            case Values.JsonNull n -> ps.setNull(index, Types.NULL);
            default -> {
                if (type == Type.JSON) ps.setString(index, jsonText(v));
                else throw new SQLException("a value of type " + type + " cannot be a query parameter");
            }
        }
    }

    /**
     * An Instant: PostgreSQL takes it as a `timestamptz` (an OffsetDateTime in UTC); other databases
     * (SQLite) as RFC 3339 text in UTC with three decimals, which sorts by time, which SQLite's date
     * functions read, and which `strftime('%Y-%m-%dT%H:%M:%fZ', …)` writes.
     */
    private static void bindInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (ps.getConnection().getMetaData().getDatabaseProductName().equals("PostgreSQL"))
            ps.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
        else ps.setString(index, TimeText.formatFixed(t));
    }

    /** Maps what an executed statement produced to a value of `result`. */
    public Object map(Type result, PreparedStatement ps, boolean hasResultSet) throws SQLException, EffectFailure {
        if (result == Type.UNIT) return Values.Unit.UNIT;
        if (!hasResultSet) {
            if (result == Type.INT) return (long) ps.getUpdateCount();
            throw new EffectFailure("row-count", "the statement returned no rows, but its result type is " + result);
        }
        try (ResultSet rs = ps.getResultSet()) {
            Columns cols = new Columns(rs.getMetaData());
            return switch (result) {
                case Type.ListOf l -> {
                    var items = new ArrayList<Object>();
                    while (rs.next()) items.add(row(l.element(), rs, cols));
                    yield new Values.ListValue(items.toArray());
                }
                case Type.OptionOf o -> {
                    if (!rs.next()) yield Values.None.NONE;
                    Object v = row(o.value(), rs, cols);
                    if (rs.next()) throw new EffectFailure("row-count", "expected at most 1 row for " + result + ", got 2 or more");
                    yield new Values.Some(v);
                }
                default -> {
                    if (!rs.next()) throw new EffectFailure("row-count", "expected exactly 1 row for " + result + ", got none");
                    Object v = row(result, rs, cols);
                    if (rs.next()) throw new EffectFailure("row-count", "expected exactly 1 row for " + result + ", got 2 or more");
                    yield v;
                }
            };
        }
    }

    /**
     * The `DbError` value of a violation, for a query that declares it (`Result<T, DbError>`): the
     * verifier holds a module that names `DbError` to the built-in shape, in which the variants are
     * in {@link ConstraintViolation.Kind}'s order.
     */
    public Values.EnumValue dbError(ConstraintViolation v) {
        int index = types.index(TypeDef.DB_ERROR.name());
        if (index < 0) throw new IllegalStateException("the module declares a query's DbError but has no DbError type");
        return new Values.EnumValue(index, v.kind().ordinal(), v.kind().variant, new Object[] {v.name()});
    }

    /** One row as a record (columns by name) or as a scalar (the only column). */
    private Object row(Type t, ResultSet rs, Columns cols) throws SQLException, EffectFailure {
        if (t instanceof Type.Named n && types.def(n.name()) instanceof TypeDef.RecordDef r) {
            int index = types.index(n.name());
            var fields = new Object[r.fields().size()];
            for (int i = 0; i < fields.length; i++) {
                TypeDef.FieldDef f = r.fields().get(i);
                Integer col = cols.byName.get(f.name().toLowerCase(Locale.ROOT));
                if (col == null)
                    throw new EffectFailure("row-mapping", "the result has no column `" + f.name() + "` for " + r.name() + "." + f.name());
                fields[i] = column(f.type(), rs, col, r.name() + "." + f.name());
            }
            return new Values.RecordValue(index, r.name(), types.fieldNames(index), fields);
        }
        if (cols.count != 1)
            throw new EffectFailure("row-mapping", "a " + t + " result needs exactly 1 column, got " + cols.count);
        return column(t, rs, 1, "the column");
    }

    private Object column(Type t, ResultSet rs, int col, String what) throws SQLException, EffectFailure {
        Object o = rs.getObject(col);
        if (t instanceof Type.OptionOf opt) return o == null ? Values.None.NONE : new Values.Some(column(opt.value(), rs, col, what));
        if (o == null) {
            if (t == Type.JSON) return Values.JsonNull.NULL;
            throw new EffectFailure("row-mapping", what + " is NULL, but its type " + t + " is not an Option");
        }
        Object v = switch (t) {
            case Type.Prim p -> switch (p) {
                case INT -> switch (o) {
                    case Long l -> l;
                    case Integer i -> (long) i;
                    case Short sh -> (long) sh;
                    case BigDecimal d -> exactLong(d);
                    case java.math.BigInteger b -> exactLong(new BigDecimal(b));
                    default -> null;
                };
                case DECIMAL -> switch (o) {
                    case BigDecimal d -> d;
                    case Long l -> BigDecimal.valueOf(l);
                    case Integer i -> BigDecimal.valueOf(i);
                    case Double d -> new BigDecimal(Double.toString(d));
                    case String s -> parseDecimal(s);
                    default -> null;
                };
                case FLOAT -> o instanceof Number n ? (Object) n.doubleValue() : null;
                case BOOL -> switch (o) {
                    case Boolean b -> b;
                    case Number n when n.longValue() == 0 || n.longValue() == 1 -> n.longValue() == 1;
                    default -> null;
                };
                case STRING -> o instanceof String || o instanceof Number ? rs.getString(col) : null;
                case JSON -> parseJson(rs.getString(col));
                case UNIT -> Values.Unit.UNIT;
                case INSTANT -> switch (o) {
                    case String s -> TimeText.parseColumn(s);
                    case java.sql.Timestamp ts -> TimeText.inRange(ts.toInstant());
                    case OffsetDateTime odt -> TimeText.inRange(odt.toInstant());
                    case Long l -> TimeText.inRange(Instant.ofEpochMilli(l));
                    case Integer i -> TimeText.inRange(Instant.ofEpochMilli(i));
                    default -> null;
                };
                case DURATION -> o instanceof Long || o instanceof Integer || o instanceof Short
                        ? Duration.ofMillis(((Number) o).longValue()) : null;
                case SECRET -> null; // no query reads one: the checker and the verifier refuse it
            };
            case Type.Named n when types.def(n.name()) instanceof TypeDef.EnumDef e && e.plain() -> {
                int variant = e.variantIndex(String.valueOf(o));
                yield variant < 0 ? null : new Values.EnumValue(types.index(n.name()), variant, String.valueOf(o), new Object[0]);
            }
            default -> null;
        };
        if (v == null)
            throw new EffectFailure("row-mapping", what + " holds " + o.getClass().getSimpleName() + " `" + o + "`, which is not a " + t);
        return v;
    }

    private static Long exactLong(BigDecimal d) {
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static BigDecimal parseDecimal(String s) {
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Object parseJson(String s) {
        try {
            return JsonDecoder.json(JsonDecoder.parse(s.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return null;
        }
    }

    private static String jsonText(Object v) {
        var out = new java.io.ByteArrayOutputStream();
        try (var g = dev.manaknight.runtime.json.Json.FACTORY.createGenerator(out)) {
            dev.manaknight.runtime.json.JsonEncoder.writeJson(g, v);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Column labels, lower-cased, to 1-based indices. */
    private static final class Columns {
        final int count;
        final Map<String, Integer> byName = new HashMap<>();

        Columns(ResultSetMetaData md) throws SQLException {
            count = md.getColumnCount();
            for (int i = 1; i <= count; i++) byName.putIfAbsent(md.getColumnLabel(i).toLowerCase(Locale.ROOT), i);
        }
    }
}

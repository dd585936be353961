package dev.manaknight.lang.vm;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;

/**
 * The VM's reference values, and the rules every part of the system uses to compare and print
 * them. Int, Bool and Float travel unboxed on the stack; boxed (in lists, fields, effects) they
 * are {@link Long}, {@link Boolean}, {@link Double}. String is {@link String}, Decimal is
 * {@link BigDecimal}, Json is a tree of these plus {@link JsonNull}.
 */
public final class Values {
    private Values() {}

    /** `()` */
    public enum Unit { UNIT; @Override public String toString() { return "()"; } }

    /** JSON's null, only ever inside a `Json` value. */
    public enum JsonNull { NULL; @Override public String toString() { return "null"; } }

    /** `none`: a single shared immutable value. */
    public enum None { NONE; @Override public String toString() { return "none"; } }

    /** `some(v)` */
    public record Some(Object value) {
        @Override public boolean equals(Object o) { return o instanceof Some s && Values.equal(value, s.value); }
        @Override public int hashCode() { return Values.hash(value); }
        @Override public String toString() { return "some(" + display(value) + ")"; }
    }

    /** `ok(v)` */
    public record Ok(Object value) {
        @Override public boolean equals(Object o) { return o instanceof Ok s && Values.equal(value, s.value); }
        @Override public int hashCode() { return 31 + Values.hash(value); }
        @Override public String toString() { return "ok(" + display(value) + ")"; }
    }

    /** `err(e)` */
    public record Err(Object value) {
        @Override public boolean equals(Object o) { return o instanceof Err s && Values.equal(value, s.value); }
        @Override public int hashCode() { return 37 + Values.hash(value); }
        @Override public String toString() { return "err(" + display(value) + ")"; }
    }

    /** An immutable list. The array is never written after construction. */
    public record ListValue(Object[] items) {
        public static final ListValue EMPTY = new ListValue(new Object[0]);

        public int size() { return items.length; }

        public Object get(int i) { return items[i]; }

        @Override public boolean equals(Object o) {
            if (!(o instanceof ListValue l) || l.items.length != items.length) return false;
            for (int i = 0; i < items.length; i++) if (!Values.equal(items[i], l.items[i])) return false;
            return true;
        }

        @Override public int hashCode() {
            int h = 1;
            for (Object x : items) h = 31 * h + Values.hash(x);
            return h;
        }

        @Override public String toString() { return display(this); }
    }

    /** An immutable insertion-ordered map with String keys (`keys[i]` ↦ `values[i]`). */
    public record MapValue(String[] keys, Object[] values) {
        public static final MapValue EMPTY = new MapValue(new String[0], new Object[0]);

        public int size() { return keys.length; }

        public int indexOf(String key) {
            for (int i = 0; i < keys.length; i++) if (keys[i].equals(key)) return i;
            return -1;
        }

        @Override public boolean equals(Object o) {
            if (!(o instanceof MapValue m) || m.keys.length != keys.length) return false;
            for (int i = 0; i < keys.length; i++) {
                int j = m.indexOf(keys[i]);
                if (j < 0 || !Values.equal(values[i], m.values[j])) return false;
            }
            return true;
        }

        @Override public int hashCode() {
            int h = 0;
            for (int i = 0; i < keys.length; i++) h += keys[i].hashCode() ^ Values.hash(values[i]);
            return h;
        }

        @Override public String toString() { return display(this); }
    }

    /** A record instance: `type` indexes the module's type table. */
    public record RecordValue(int type, String typeName, String[] fieldNames, Object[] fields) {
        @Override public boolean equals(Object o) {
            if (!(o instanceof RecordValue r) || r.type != type) return false;
            for (int i = 0; i < fields.length; i++) if (!Values.equal(fields[i], r.fields[i])) return false;
            return true;
        }

        @Override public int hashCode() { return 31 * type + Arrays.stream(fields).mapToInt(Values::hash).sum(); }

        @Override public String toString() { return display(this); }
    }

    /** An enum value: `variant` indexes the enum's variants; `payload` is empty for plain ones. */
    public record EnumValue(int type, int variant, String variantName, Object[] payload) {
        @Override public boolean equals(Object o) {
            if (!(o instanceof EnumValue e) || e.type != type || e.variant != variant) return false;
            for (int i = 0; i < payload.length; i++) if (!Values.equal(payload[i], e.payload[i])) return false;
            return true;
        }

        @Override public int hashCode() { return 31 * (31 * type + variant) + Arrays.stream(payload).mapToInt(Values::hash).sum(); }

        @Override public String toString() { return display(this); }
    }

    /** Structural equality; Decimals compare by value (`2.50 == 2.5`), Floats as IEEE `==`. */
    public static boolean equal(Object a, Object b) {
        if (a == b) return !(a instanceof Double d && d.isNaN());
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return x.compareTo(y) == 0;
        if (a instanceof Double x && b instanceof Double y) return x.doubleValue() == y.doubleValue();
        return a != null && a.equals(b);
    }

    public static int hash(Object a) {
        if (a instanceof BigDecimal d) return d.signum() == 0 ? 0 : d.stripTrailingZeros().hashCode();
        return a == null ? 0 : a.hashCode();
    }

    /** The text `"${v}"` produces: Strings as they are, everything else in source-like form. */
    public static String display(Object v) {
        return switch (v) {
            case String s -> s;
            case BigDecimal d -> d.toPlainString();
            case Double d -> floatText(d);
            case ListValue l -> {
                var sb = new StringBuilder("[");
                for (int i = 0; i < l.items.length; i++) sb.append(i == 0 ? "" : ", ").append(quoted(l.items[i]));
                yield sb.append(']').toString();
            }
            case MapValue m -> {
                var sb = new StringBuilder("{");
                for (int i = 0; i < m.keys.length; i++)
                    sb.append(i == 0 ? "" : ", ").append(quoted(m.keys[i])).append(": ").append(quoted(m.values[i]));
                yield sb.append('}').toString();
            }
            case RecordValue r -> {
                var sb = new StringBuilder(r.typeName).append(" { ");
                for (int i = 0; i < r.fields.length; i++)
                    sb.append(i == 0 ? "" : ", ").append(r.fieldNames[i]).append(": ").append(quoted(r.fields[i]));
                yield sb.append(r.fields.length == 0 ? "}" : " }").toString();
            }
            case EnumValue e -> {
                if (e.payload.length == 0) yield e.variantName;
                var sb = new StringBuilder(e.variantName).append('(');
                for (int i = 0; i < e.payload.length; i++) sb.append(i == 0 ? "" : ", ").append(quoted(e.payload[i]));
                yield sb.append(')').toString();
            }
            case Some s -> "some(" + quoted(s.value()) + ")";
            case Ok s -> "ok(" + quoted(s.value()) + ")";
            case Err s -> "err(" + quoted(s.value()) + ")";
            default -> String.valueOf(v);
        };
    }

    /** Source-like text of any value, a String quoted too (`"a\"b"`): what a test shows of a value it compared. */
    public static String show(Object v) {
        return quoted(v);
    }

    private static String quoted(Object v) {
        return v instanceof String s ? '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : display(v);
    }

    /** Floats print like JSON numbers where they can: `1.5`, `1.0E300`, `NaN`. */
    public static String floatText(double d) {
        return Double.toString(d);
    }

    /** A read-only view for hosts that want a Java map. */
    public static Map<String, Object> asMap(MapValue m) {
        var out = new java.util.LinkedHashMap<String, Object>();
        for (int i = 0; i < m.keys.length; i++) out.put(m.keys[i], m.values[i]);
        return out;
    }
}

package dev.manaknight.lang.vm;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.TimeText;
import dev.manaknight.lang.model.Type;
import java.math.BigDecimal;

/**
 * `Json` values inside the VM: built from a typed value (`Json.from`, {@code TO_JSON J}), looked
 * into (`get`, `asInt`, …) and written as text (`toString`). A `Json` is a tree of
 * {@link Values.MapValue} (an object, members in the order they were built or read),
 * {@link Values.ListValue}, Long, BigDecimal, Double, String, Boolean and {@link Values.JsonNull}:
 * what the runtime's decoder makes of a request body, so both kinds compare and print alike. The
 * mapping from typed values is the response encoder's (runtime.md): records in field order, plain
 * enums by variant name, others as {"type": …, fields…}, Option as its value or null, Result as
 * {"ok": …} or {"err": …}, Instant as RFC 3339 text, a non-finite Float as null. Every step is
 * paid: one unit of fuel per element reached, the meter for every node made.
 */
final class JsonValues {
    private JsonValues() {}

    /** The value `v` of static type `t` as a `Json` value. */
    static Object from(Type t, Object v, Program prog, Budget budget, MemoryMeter meter) {
        return from(t, v, prog, budget, meter, 0);
    }

    private static Object from(Type t, Object v, Program prog, Budget budget, MemoryMeter meter, int depth) {
        if (depth > Walk.MAX_NESTING)
            throw new Trap.Fault(VmError.Kind.STACK_OVERFLOW, "a value nested deeper than " + Walk.MAX_NESTING
                    + " levels cannot be turned into Json");
        int in = depth + 1;
        return switch (t) {
            case Type.Prim p -> prim(p, v, meter);
            case Type.ListOf l -> {
                var xs = (Values.ListValue) v;
                if (xs.size() == 0) yield Values.ListValue.EMPTY;
                meter.charge(MemoryMeter.list(xs.size()));
                var items = new Object[xs.size()];
                for (int i = 0; i < items.length; i++) {
                    budget.charge(1);
                    items[i] = from(l.element(), xs.get(i), prog, budget, meter, in);
                }
                yield new Values.ListValue(items);
            }
            case Type.MapOf m -> {
                var map = (Values.MapValue) v;
                meter.charge(MemoryMeter.list(map.size())); // a new values array; the keys are shared
                var values = new Object[map.size()];
                for (int i = 0; i < values.length; i++) {
                    budget.charge(1);
                    values[i] = from(m.value(), map.values()[i], prog, budget, meter, in);
                }
                yield new Values.MapValue(map.keys(), values);
            }
            case Type.OptionOf o -> {
                budget.charge(1);
                yield v instanceof Values.Some s ? from(o.value(), s.value(), prog, budget, meter, in) : Values.JsonNull.NULL;
            }
            case Type.PatchOf pa -> from(pa.heldAs(), v, prog, budget, meter, depth); // absent and null are both null
            case Type.ResultOf r -> {
                budget.charge(1);
                meter.charge(MemoryMeter.map(1));
                boolean ok = v instanceof Values.Ok;
                Object inner = ok ? ((Values.Ok) v).value() : ((Values.Err) v).value();
                yield new Values.MapValue(new String[] {ok ? "ok" : "err"},
                        new Object[] {from(ok ? r.ok() : r.err(), inner, prog, budget, meter, in)});
            }
            case Type.Named n -> named(n, v, prog, budget, meter, in);
        };
    }

    private static Object prim(Type.Prim p, Object v, MemoryMeter meter) {
        return switch (p) {
            case INT, BOOL, DECIMAL, STRING, JSON -> v;
            case FLOAT -> Double.isFinite((Double) v) ? v : Values.JsonNull.NULL; // JSON has no NaN (runtime.md)
            case UNIT -> Values.JsonNull.NULL;
            case INSTANT -> charged(TimeText.format((java.time.Instant) v), meter);
            case DURATION -> charged(v.toString(), meter);
            // The checker (E0410) and the verifier (no type reference holds a Secret) keep it out.
            case SECRET -> throw new Trap.Fault(VmError.Kind.INTERNAL, "a Secret is never turned into Json");
        };
    }

    private static int index(Program prog, String name) {
        for (int t = 0; t < prog.typeNames.length; t++) if (prog.typeNames[t].equals(name)) return t;
        throw new Trap.Fault(VmError.Kind.INTERNAL, "type `" + name + "` is not in the type table");
    }

    /** A short text just made (at most 30 chars): charged as it is. */
    private static String charged(String s, MemoryMeter meter) {
        meter.charge(MemoryMeter.string(s.length()));
        return s;
    }

    /** A record or an enum, by its declaration (a test's `Response` record is type -1 in its value: found by name). */
    private static Object named(Type.Named n, Object v, Program prog, Budget budget, MemoryMeter meter, int depth) {
        return switch (v) {
            case Values.RecordValue rec -> {
                var def = (TypeDef.RecordDef) prog.typeDefs[rec.type() >= 0 ? rec.type() : index(prog, n.name())];
                yield object(rec.fieldNames(), def.fields(), rec.fields(), null, prog, budget, meter, depth);
            }
            case Values.EnumValue e -> {
                var def = (TypeDef.EnumDef) prog.typeDefs[e.type()];
                if (def.plain()) yield e.variantName();
                yield object(null, def.variants().get(e.variant()).fields(), e.payload(), e.variantName(), prog, budget, meter,
                        depth);
            }
            default -> throw new Trap.Fault(VmError.Kind.INTERNAL, "not a record or an enum: " + v);
        };
    }

    /** An object of declared fields, led by `"type": variant` when `variant` is given. */
    private static Values.MapValue object(String[] names, java.util.List<TypeDef.FieldDef> defs, Object[] values,
                                          String variant, Program prog, Budget budget, MemoryMeter meter, int depth) {
        int lead = variant == null ? 0 : 1;
        int n = values.length + lead;
        budget.charge(lead);
        meter.charge(names == null ? MemoryMeter.map(n) : MemoryMeter.list(n));
        String[] keys = names != null ? names : new String[n];
        var out = new Object[n];
        if (variant != null) {
            keys[0] = "type";
            out[0] = variant;
        }
        for (int i = 0; i < values.length; i++) {
            budget.charge(1);
            if (names == null) keys[i + lead] = defs.get(i).name();
            out[i + lead] = from(defs.get(i).type(), values[i], prog, budget, meter, depth);
        }
        return new Values.MapValue(keys, out);
    }

    /** The nodes of a tree the host made (`Json.parse`): one unit of fuel each, as if the VM had built it. */
    static long nodes(Object v) {
        return switch (v) {
            case Values.Ok o -> 1 + nodes(o.value());
            case Values.Err e -> 1;
            case Values.MapValue m -> {
                long n = 1;
                for (Object x : m.values()) n += nodes(x);
                yield n;
            }
            case Values.ListValue l -> {
                long n = 1;
                for (Object x : l.items()) n += nodes(x);
                yield n;
            }
            default -> 1;
        };
    }

    // --- looking into a Json value -----------------------------------------------------------

    /** `j.get(key)`: an object's member. */
    static Object get(Object j, String key, Budget budget, MemoryMeter meter) {
        if (!(j instanceof Values.MapValue m)) return Values.None.NONE;
        int i = Containers.find(m, key, true, budget);
        return i < 0 ? Values.None.NONE : some(m.values()[i], meter);
    }

    /** `j.get(i)`: an array's element. */
    static Object at(Object j, long i, MemoryMeter meter) {
        if (!(j instanceof Values.ListValue l) || i < 0 || i >= l.size()) return Values.None.NONE;
        return some(l.get((int) i), meter);
    }

    /** `asText()` … `asMap()`: the value as that kind, or none. */
    static Object view(Builtin view, Object j, Budget budget, MemoryMeter meter) {
        return switch (view) {
            case JSON_AS_TEXT -> asText(j, meter);
            case JSON_AS_INT -> asInt(j, budget, meter);
            case JSON_AS_DECIMAL -> asDecimal(j, meter);
            case JSON_AS_BOOL -> asBool(j, meter);
            case JSON_AS_LIST -> asList(j, meter);
            case JSON_AS_MAP -> asMap(j, meter);
            default -> throw new Trap.Fault(VmError.Kind.INTERNAL, view + " is no view of a Json value");
        };
    }

    private static Object asText(Object j, MemoryMeter meter) {
        return j instanceof String s ? some(s, meter) : Values.None.NONE;
    }

    private static Object asBool(Object j, MemoryMeter meter) {
        return j instanceof Boolean b ? some(b, meter) : Values.None.NONE;
    }

    /** A whole number in Int's range, however it was written (`1`, `1.0`, `1e0`). */
    private static Object asInt(Object j, Budget budget, MemoryMeter meter) {
        return switch (j) {
            case Long l -> some(l, meter);
            case BigDecimal d -> Decimals.toInt(d, budget, meter);
            case Double d -> Double.isFinite(d) ? Decimals.toInt(BigDecimal.valueOf(d), budget, meter) : Values.None.NONE;
            default -> Values.None.NONE;
        };
    }

    /** Any number as an exact Decimal (a Float's shortest decimal form). */
    private static Object asDecimal(Object j, MemoryMeter meter) {
        BigDecimal d = switch (j) {
            case BigDecimal x -> x;
            case Long l -> BigDecimal.valueOf(l);
            case Double x -> Double.isFinite(x) ? BigDecimal.valueOf(x) : null;
            default -> null;
        };
        if (d == null) return Values.None.NONE;
        if (d != j) meter.charge(MemoryMeter.decimal(d));
        return some(d, meter);
    }

    private static Object asList(Object j, MemoryMeter meter) {
        return j instanceof Values.ListValue l ? some(l, meter) : Values.None.NONE;
    }

    private static Object asMap(Object j, MemoryMeter meter) {
        return j instanceof Values.MapValue m ? some(m, meter) : Values.None.NONE;
    }

    private static Values.Some some(Object v, MemoryMeter meter) {
        meter.charge(MemoryMeter.BOX);
        return new Values.Some(v);
    }
}

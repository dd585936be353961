package dev.manaknight.lang.vm;

import java.util.Arrays;
import java.util.HashMap;

/**
 * Lists, maps, records and enums as the run loop builds and takes them apart. Each operation
 * charges the meter before it allocates and fuel for the elements it walks (see vm.md).
 */
final class Containers {
    private Containers() {}

    /** Map literals up to this size find duplicate keys by scanning; larger ones use a hash index. */
    private static final int SCAN_KEYS = 8;

    static Values.ListValue newList(Object[] r, int from, int n, MemoryMeter meter) {
        if (n == 0) return Values.ListValue.EMPTY;
        meter.charge(MemoryMeter.list(n));
        return new Values.ListValue(Arrays.copyOfRange(r, from, from + n));
    }

    static Values.ListValue concat(Object a, Object b, Budget budget, MemoryMeter meter) {
        var xs = (Values.ListValue) a;
        var ys = (Values.ListValue) b;
        if (ys.size() == 0) return xs;
        if (xs.size() == 0) return ys;
        int n = xs.size() + ys.size();
        budget.charge(n);
        meter.charge(MemoryMeter.list(n));
        Object[] items = Arrays.copyOf(xs.items(), n);
        System.arraycopy(ys.items(), 0, items, xs.size(), ys.size());
        return new Values.ListValue(items);
    }

    /** `xs[i]`: traps when i is out of range. */
    static Object index(Object list, long i) {
        var xs = (Values.ListValue) list;
        if (i < 0 || i >= xs.size())
            throw new Trap.Fault(VmError.Kind.INDEX_OUT_OF_RANGE, "index " + i + " is out of range for a list of " + xs.size());
        return xs.get((int) i);
    }

    /**
     * A map literal from r[from..from+2n) as key, value pairs; a repeated key keeps its first
     * place and takes the later value. Pays one unit per entry and, for each key, its chars once
     * (hashing it, or comparing it with the keys of its length before it in a small literal).
     */
    static Values.MapValue newMap(Object[] r, int from, int n, Budget budget, MemoryMeter meter) {
        if (n == 0) return Values.MapValue.EMPTY;
        budget.charge(n);
        meter.charge(MemoryMeter.map(n));
        String[] keys = new String[n];
        Object[] values = new Object[n];
        HashMap<String, Integer> positions = n > SCAN_KEYS ? new HashMap<>() : null;
        int size = 0;
        for (int i = 0; i < n; i++) {
            String k = (String) r[from + 2 * i];
            Object v = r[from + 2 * i + 1];
            int at = -1;
            if (positions == null) {
                for (int j = 0; j < size && at < 0; j++) if (Text.equal(keys[j], k, budget)) at = j;
            } else {
                Text.walk(k.length(), budget);
                Integer j = positions.putIfAbsent(k, size);
                if (j != null) at = j;
            }
            if (at >= 0) {
                values[at] = v;
            } else {
                keys[size] = k;
                values[size++] = v;
            }
        }
        if (size < n) {
            keys = Arrays.copyOf(keys, size);
            values = Arrays.copyOf(values, size);
        }
        return new Values.MapValue(keys, values);
    }

    /**
     * Where `key` is in `m`, or -1: one unit per key compared (when `perKey`), plus the chars of
     * each key of the same length compared (only those are compared char by char).
     */
    static int find(Values.MapValue m, String key, boolean perKey, Budget budget) {
        String[] keys = m.keys();
        for (int i = 0; i < keys.length; i++) {
            if (perKey) budget.charge(1);
            if (Text.equal(keys[i], key, budget)) return i;
        }
        return -1;
    }

    /** `m.with(k, v)`: a copy; an existing key keeps its place. One unit per entry, plus the chars its lookup compares. */
    static Values.MapValue with(Values.MapValue m, String k, Object v, Budget budget, MemoryMeter meter) {
        budget.charge(m.size());
        int at = find(m, k, false, budget);
        int n = at >= 0 ? m.size() : m.size() + 1;
        meter.charge(MemoryMeter.map(n));
        String[] keys = at >= 0 ? m.keys() : Arrays.copyOf(m.keys(), n);
        Object[] values = Arrays.copyOf(m.values(), n);
        if (at >= 0) {
            values[at] = v;
        } else {
            keys[n - 1] = k;
            values[n - 1] = v;
        }
        return new Values.MapValue(keys, values);
    }

    /** `rec with { f: v }`: a copy sharing the field names. */
    static Values.RecordValue withField(Values.RecordValue rec, int f, Object v, MemoryMeter meter) {
        meter.charge(MemoryMeter.record(rec.fields().length));
        Object[] fields = rec.fields().clone();
        fields[f] = v;
        return new Values.RecordValue(rec.type(), rec.typeName(), rec.fieldNames(), fields);
    }

    /** The tag a `match` switches on: an enum's variant; none 0, some 1; ok 0, err 1. */
    static long variant(Object v) {
        return switch (v) {
            case Values.EnumValue e -> e.variant();
            case Values.None n -> 0;
            case Values.Some s -> 1;
            case Values.Ok o -> 0;
            case Values.Err e -> 1;
            default -> throw new Trap.Fault(VmError.Kind.INTERNAL, "VARIANT of a " + v.getClass().getSimpleName());
        };
    }

    /**
     * Payload i of variant `variant` of an enum value, or the value inside some (1), ok (0) or
     * err (1). The verifier proves the value's type and that i is a payload of that variant; which
     * variant the value holds is known only here, so a value of another variant is a
     * {@code BAD_VALUE} trap (compiled code reads a payload only after matching its variant).
     */
    static Object payload(Object v, int variant, int i) {
        return switch (v) {
            case Values.EnumValue e when e.variant() == variant -> e.payload()[i];
            case Values.Some s when variant == 1 -> s.value();
            case Values.Ok o when variant == 0 -> o.value();
            case Values.Err e when variant == 1 -> e.value();
            case Values.EnumValue e -> throw wrongVariant(variant, e.variantName());
            case Values.None n -> throw wrongVariant(variant, "none");
            case Values.Some s -> throw wrongVariant(variant, "some");
            case Values.Ok o -> throw wrongVariant(variant, "ok");
            case Values.Err e -> throw wrongVariant(variant, "err");
            default -> throw new Trap.Fault(VmError.Kind.INTERNAL, "PAYLOAD of a " + v.getClass().getSimpleName());
        };
    }

    private static Trap.Fault wrongVariant(int variant, String held) {
        return new Trap.Fault(VmError.Kind.BAD_VALUE,
                "PAYLOAD of variant " + variant + " read from a value that is `" + held + "`");
    }
}

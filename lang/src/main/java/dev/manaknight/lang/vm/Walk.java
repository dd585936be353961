package dev.manaknight.lang.vm;

import java.math.BigDecimal;

/**
 * Paying for a walk over a whole value before anything walks it. Values are immutable and may
 * share parts, so a value built in a few cheap steps (`x = [x, x]` forty times) can unfold into
 * a tree of 2^40 elements; printing, comparing or encoding it must be stopped by the budget, not
 * by the JVM. A walk charges one unit of fuel per element it reaches (list items, map entries,
 * record fields, payloads, option and result contents; shared parts each time they are reached)
 * and returns an upper bound of the value's display length.
 */
final class Walk {
    private Walk() {}

    /** Display length bound for an Int (20 chars at most), a Float (24), a Bool, or anything small that prints itself. */
    private static final int SCALAR = 32;

    /** Structural equality, paid for by walking `a` first (a plain String or number costs nothing). */
    static boolean equal(Object a, Object b, Budget budget) {
        measure(a, false, budget);
        return Values.equal(a, b);
    }

    /** `Values.display(v)`, with its walk paid in fuel and its text charged to the meter before it is built. */
    static String display(Object v, Budget budget, MemoryMeter meter) {
        long length = measure(v, false, budget);
        Text.walk(length, budget);
        meter.charge(MemoryMeter.string(length));
        return Values.display(v);
    }

    /** Charges the walk of a value about to leave the VM (a JSON body) and its encoded size, estimated as its display size. */
    static void leave(Object v, Budget budget, MemoryMeter meter) {
        meter.charge(MemoryMeter.string(measure(v, false, budget)));
    }

    /** Upper bound of the display length (quoted: as an element inside a container), charging one unit per element. */
    static long measure(Object v, boolean quoted, Budget budget) {
        return switch (v) {
            case String s -> quoted ? s.length() * 2L + 2 : s.length();
            case BigDecimal d -> {
                budget.charge(Decimals.textCost(d.precision()));
                yield d.precision() + Math.abs((long) d.scale()) + 2;
            }
            case Values.ListValue l -> {
                budget.charge(l.size());
                long n = 2 + 2L * l.size();
                for (Object x : l.items()) n += measure(x, true, budget);
                yield n;
            }
            case Values.MapValue m -> {
                budget.charge(m.size());
                long n = 2 + 4L * m.size();
                for (int i = 0; i < m.size(); i++) n += measure(m.keys()[i], true, budget) + measure(m.values()[i], true, budget);
                yield n;
            }
            case Values.RecordValue r -> {
                budget.charge(r.fields().length);
                long n = r.typeName().length() + 4 + 4L * r.fields().length;
                for (int i = 0; i < r.fields().length; i++) n += r.fieldNames()[i].length() + measure(r.fields()[i], true, budget);
                yield n;
            }
            case Values.EnumValue e -> {
                budget.charge(e.payload().length);
                long n = e.variantName().length() + 2 + 2L * e.payload().length;
                for (Object x : e.payload()) n += measure(x, true, budget);
                yield n;
            }
            case Values.Some s -> inner(s.value(), budget);
            case Values.Ok o -> inner(o.value(), budget);
            case Values.Err e -> inner(e.value(), budget);
            case null -> 4;
            default -> SCALAR;
        };
    }

    /** `some(…)`, `ok(…)`, `err(…)`: the wrapper's text around its content. */
    private static long inner(Object v, Budget budget) {
        budget.charge(1);
        return "some()".length() + measure(v, false, budget);
    }
}

package dev.manaknight.lang.vm;

import java.math.BigDecimal;

/**
 * Walks over whole values, paid for as they go. Values are immutable and may share parts, so a
 * value built in a few cheap steps (`x = [x, x]` forty times) can unfold into a tree of 2^40
 * elements; printing, comparing or encoding it must be stopped by the budget, not by the JVM.
 * A walk charges one unit of fuel per element it reaches (list items, map entries, record
 * fields, payloads, option and result contents; shared parts each time they are reached), the
 * chars of the strings it compares or prints ({@link Text#CHARS_PER_FUEL} per unit), and the
 * digits of the Decimals it compares or prints ({@link Decimals#cost}).
 *
 * <p>A walk also refuses a value nested deeper than {@link #MAX_NESTING} (a recursive enum built
 * in a loop: `x = cons(i, x)`): printing, comparing and encoding recurse once per level, and the
 * Java stack must not be what stops them (issue 13: that was an INTERNAL error).
 */
final class Walk {
    private Walk() {}

    /**
     * Levels of nesting a walked value may have. Far above what requests hold; below what the Java
     * stack of a virtual thread and the JSON encoder's own nesting limit (1,000) allow.
     */
    static final int MAX_NESTING = 512;

    private static void nesting(int depth) {
        if (depth > MAX_NESTING)
            throw new Trap.Fault(VmError.Kind.STACK_OVERFLOW,
                    "a value nested deeper than " + MAX_NESTING + " levels cannot be walked");
    }

    /** Display length bound for an Int (20 chars at most), a Float (24), a Bool, or anything small that prints itself. */
    private static final int SCALAR = 32;

    /**
     * Structural equality, as {@link Values#equal}, walking both values side by side until they
     * differ: the fuel depends on the values only, never on whether their parts are shared.
     */
    static boolean equal(Object a, Object b, Budget budget) {
        return equal(a, b, budget, 0);
    }

    /** `depth`: a's nesting below the values compared. */
    private static boolean equal(Object a, Object b, Budget budget, int depth) {
        nesting(depth);
        int in = depth + 1;
        return switch (a) {
            case String s -> b instanceof String t && Text.equal(s, t, budget);
            case BigDecimal x -> b instanceof BigDecimal y && Decimals.compare(x, y, budget) == 0;
            case Double x -> b instanceof Double y && x.doubleValue() == y.doubleValue();
            case Values.ListValue l -> b instanceof Values.ListValue m && l.size() == m.size()
                    && all(l.items(), m.items(), budget, in);
            case Values.MapValue m -> b instanceof Values.MapValue o && m.size() == o.size() && entries(m, o, budget, in);
            case Values.RecordValue r -> b instanceof Values.RecordValue q && r.type() == q.type()
                    && all(r.fields(), q.fields(), budget, in);
            case Values.EnumValue e -> b instanceof Values.EnumValue f && e.type() == f.type() && e.variant() == f.variant()
                    && all(e.payload(), f.payload(), budget, in);
            case Values.Some s -> b instanceof Values.Some t && inner(s.value(), t.value(), budget, in);
            case Values.Ok o -> b instanceof Values.Ok t && inner(o.value(), t.value(), budget, in);
            case Values.Err e -> b instanceof Values.Err t && inner(e.value(), t.value(), budget, in);
            case null -> b == null;
            default -> a.equals(b); // Int, Bool, and the single values (unit, none, null)
        };
    }

    private static boolean all(Object[] xs, Object[] ys, Budget budget, int depth) {
        for (int i = 0; i < xs.length; i++) {
            budget.charge(1);
            if (!equal(xs[i], ys[i], budget, depth)) return false;
        }
        return true;
    }

    private static boolean inner(Object a, Object b, Budget budget, int depth) {
        budget.charge(1);
        return equal(a, b, budget, depth);
    }

    /**
     * Map equality ignores order: side by side while the keys line up (maps built by the same
     * code do), then each remaining key looked up in the other map, one unit per key compared.
     */
    private static boolean entries(Values.MapValue m, Values.MapValue o, Budget budget, int depth) {
        String[] keys = m.keys();
        int i = 0;
        for (; i < keys.length; i++) {
            budget.charge(1);
            if (!Text.equal(keys[i], o.keys()[i], budget)) break;
            if (!equal(m.values()[i], o.values()[i], budget, depth)) return false;
        }
        for (; i < keys.length; i++) {
            int j = Containers.find(o, keys[i], true, budget);
            if (j < 0 || !equal(m.values()[i], o.values()[j], budget, depth)) return false;
        }
        return true;
    }

    /** `Values.display(v)`, with its walk paid in fuel as it goes and its text charged to the meter before it is built. */
    static String display(Object v, Budget budget, MemoryMeter meter) {
        return v instanceof String s ? s : print(v, false, budget, meter);
    }

    /**
     * `Values.show(v)`: source-like text, a String quoted (what a failed `expect` shows of a value),
     * paid and charged as {@link #display} is.
     */
    static String show(Object v, Budget budget, MemoryMeter meter) {
        return print(v, true, budget, meter);
    }

    private static String print(Object v, boolean quoted, Budget budget, MemoryMeter meter) {
        long bound = measure(v, quoted, budget);
        meter.charge(MemoryMeter.string(bound));
        Text.tooLong(bound);
        var out = new Printer(budget);
        out.value(v, quoted);
        return out.finish();
    }

    /** Charges the walk of a value about to leave the VM (a JSON body) and its encoded size, estimated as its display size. */
    static void leave(Object v, Budget budget, MemoryMeter meter) {
        meter.charge(MemoryMeter.string(measure(v, false, budget)));
    }

    /**
     * Upper bound of the display length (quoted: as an element inside a container), charging one
     * unit per element, and the superlinear part of printing each Decimal.
     */
    static long measure(Object v, boolean quoted, Budget budget) {
        return measure(v, quoted, budget, 0);
    }

    /** `depth`: v's nesting below the value walked. */
    private static long measure(Object v, boolean quoted, Budget budget, int depth) {
        nesting(depth);
        int in = depth + 1;
        return switch (v) {
            case String s -> quoted ? s.length() * 2L + 2 : s.length();
            case BigDecimal d -> {
                budget.charge(Decimals.textCost(d.precision()));
                yield d.precision() + Math.abs((long) d.scale()) + 2;
            }
            case Values.ListValue l -> {
                long n = 2 + 2L * l.size();
                for (Object x : l.items()) n += measureElement(x, budget, in);
                yield n;
            }
            case Values.MapValue m -> {
                long n = 2 + 4L * m.size();
                for (int i = 0; i < m.size(); i++) {
                    n += measure(m.keys()[i], true, budget, in) + measureElement(m.values()[i], budget, in);
                }
                yield n;
            }
            case Values.RecordValue r -> {
                long n = r.typeName().length() + 4 + 4L * r.fields().length;
                for (int i = 0; i < r.fields().length; i++) {
                    n += r.fieldNames()[i].length() + measureElement(r.fields()[i], budget, in);
                }
                yield n;
            }
            case Values.EnumValue e -> {
                long n = e.variantName().length() + 2 + 2L * e.payload().length;
                for (Object x : e.payload()) n += measureElement(x, budget, in);
                yield n;
            }
            case Values.Some s -> measureInner(s.value(), budget, in);
            case Values.Ok o -> measureInner(o.value(), budget, in);
            case Values.Err e -> measureInner(e.value(), budget, in);
            case null -> 4;
            default -> SCALAR;
        };
    }

    /** One element inside a container: a unit, then its own walk. */
    private static long measureElement(Object v, Budget budget, int depth) {
        budget.charge(1);
        return measure(v, true, budget, depth);
    }

    /** `some(…)`, `ok(…)`, `err(…)`: the wrapper's text around its content, which is quoted as in a container. */
    private static long measureInner(Object v, Budget budget, int depth) {
        budget.charge(1);
        return "some()".length() + measure(v, true, budget, depth);
    }

    /**
     * Builds the text {@link Values#display} makes, paying one unit per {@link Text#CHARS_PER_FUEL}
     * chars as it appends them (the elements were paid for by {@link #measure}).
     */
    private static final class Printer {
        private final StringBuilder sb = new StringBuilder();
        private final Budget budget;
        private long paid;

        Printer(Budget budget) { this.budget = budget; }

        String finish() {
            paid = Text.pay(paid, sb.length(), budget);
            return sb.toString();
        }

        private void pay() {
            if (sb.length() - paid >= Text.CHUNK) paid = Text.pay(paid, sb.length(), budget);
        }

        void value(Object v, boolean quoted) {
            switch (v) {
                case String s -> {
                    if (quoted) quote(s);
                    else text(s);
                }
                case BigDecimal d -> text(d.toPlainString());
                case Double d -> sb.append(Values.floatText(d));
                case Values.ListValue l -> {
                    sb.append('[');
                    for (int i = 0; i < l.size(); i++) {
                        if (i > 0) sb.append(", ");
                        value(l.get(i), true);
                    }
                    sb.append(']');
                }
                case Values.MapValue m -> {
                    sb.append('{');
                    for (int i = 0; i < m.size(); i++) {
                        if (i > 0) sb.append(", ");
                        quote(m.keys()[i]);
                        sb.append(": ");
                        value(m.values()[i], true);
                    }
                    sb.append('}');
                }
                case Values.RecordValue r -> {
                    sb.append(r.typeName()).append(" { ");
                    for (int i = 0; i < r.fields().length; i++) {
                        if (i > 0) sb.append(", ");
                        sb.append(r.fieldNames()[i]).append(": ");
                        value(r.fields()[i], true);
                    }
                    sb.append(r.fields().length == 0 ? "}" : " }");
                }
                case Values.EnumValue e -> {
                    sb.append(e.variantName());
                    if (e.payload().length > 0) {
                        sb.append('(');
                        for (int i = 0; i < e.payload().length; i++) {
                            if (i > 0) sb.append(", ");
                            value(e.payload()[i], true);
                        }
                        sb.append(')');
                    }
                }
                case Values.Some s -> wrapped("some(", s.value());
                case Values.Ok o -> wrapped("ok(", o.value());
                case Values.Err e -> wrapped("err(", e.value());
                default -> sb.append(v);
            }
            pay();
        }

        private void wrapped(String open, Object inner) {
            sb.append(open);
            value(inner, true);
            sb.append(')');
        }

        /** Appends s in chunks, paying between them. */
        private void text(String s) {
            for (int from = 0, to; from < s.length(); from = to) {
                to = (int) Math.min(s.length(), (long) from + Text.CHUNK);
                sb.append(s, from, to);
                pay();
            }
        }

        /** `"…"` with `\` and `"` escaped, as {@link Values#display} quotes strings inside containers. */
        private void quote(String s) {
            sb.append('"');
            for (int from = 0, to; from < s.length(); from = to) {
                to = (int) Math.min(s.length(), (long) from + Text.CHUNK);
                int last = from;
                for (int i = from; i < to; i++) {
                    char c = s.charAt(i);
                    if (c == '\\' || c == '"') {
                        sb.append(s, last, i).append('\\');
                        last = i;
                    }
                }
                sb.append(s, last, to);
                pay();
            }
            sb.append('"');
        }
    }
}

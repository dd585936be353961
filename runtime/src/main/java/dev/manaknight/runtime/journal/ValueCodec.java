package dev.manaknight.runtime.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.manaknight.lang.vm.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;

/**
 * VM values as tagged JSON, losslessly: what an effect was given and answered must come back as
 * the very same value at replay. Strings, Ints and Bools are plain JSON (`"a"`, `12`, `true`);
 * every other kind is an array whose first element is its tag:
 * <pre>
 *   ["u"] Unit   ["n"] none   ["jn"] Json null     ["s", v] some   ["ok", v]   ["err", v]
 *   ["f", bits] Float (IEEE bits, so -0.0 and NaN survive)   ["d", "12.50"] Decimal (scale kept)
 *   ["t", "2026-01-02T03:04:05.123456789Z"] Instant          ["dur", "PT1.5S"] Duration
 *   ["l", v…] List   ["m", k, v, k, v…] Map (order kept)
 *   ["r", type, "Name", ["field"…], [v…]] record    ["e", type, variant, "Name", [v…]] enum
 *   ["sec", "text", "name", "text"…] a String that held a Secret's text, named instead ({@link Scrub})
 * </pre>
 * Java null (the result of a failed call) is JSON null.
 */
public final class ValueCodec {
    private ValueCodec() {}

    public static void write(JsonGenerator g, Object v) throws IOException { write(g, v, Scrub.NONE); }

    /** As {@link #write(JsonGenerator, Object)}, a Secret's text in a string written as its name ({@link Scrub#string}). */
    static void write(JsonGenerator g, Object v, Scrub scrub) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> scrub.string(g, s);
            case Long l -> g.writeNumber(l);
            case Boolean b -> g.writeBoolean(b);
            case Double d -> tagged(g, "f").writeNumber(Double.doubleToRawLongBits(d));
            case BigDecimal d -> tagged(g, "d").writeString(d.toString());
            case Instant t -> tagged(g, "t").writeString(t.toString());
            case Duration d -> tagged(g, "dur").writeString(d.toString());
            case Values.Unit u -> tagged(g, "u");
            case Values.None n -> tagged(g, "n");
            case Values.JsonNull n -> tagged(g, "jn");
            case Values.Some s -> write(tagged(g, "s"), s.value(), scrub);
            case Values.Ok o -> write(tagged(g, "ok"), o.value(), scrub);
            case Values.Err e -> write(tagged(g, "err"), e.value(), scrub);
            case Values.ListValue l -> {
                tagged(g, "l");
                for (Object x : l.items()) write(g, x, scrub);
            }
            case Values.MapValue m -> {
                tagged(g, "m");
                for (int i = 0; i < m.keys().length; i++) {
                    scrub.string(g, m.keys()[i]);
                    write(g, m.values()[i], scrub);
                }
            }
            case Values.RecordValue r -> {
                tagged(g, "r").writeNumber(r.type());
                g.writeString(r.typeName());
                g.writeStartArray();
                for (String f : r.fieldNames()) g.writeString(f);
                g.writeEndArray();
                array(g, r.fields(), scrub);
            }
            case Values.EnumValue e -> {
                tagged(g, "e").writeNumber(e.type());
                g.writeNumber(e.variant());
                g.writeString(e.variantName());
                array(g, e.payload(), scrub);
            }
            // never reached: the checker and the verifier keep a Secret out of effect calls; if one came, its record is lost
            case dev.manaknight.lang.vm.Secret x -> throw new IllegalArgumentException("journal: a Secret is never written");
            default -> throw new IllegalArgumentException("journal: no encoding for a " + v.getClass().getName());
        }
        if (!(v == null || v instanceof String || v instanceof Long || v instanceof Boolean)) g.writeEndArray();
    }

    private static JsonGenerator tagged(JsonGenerator g, String tag) throws IOException {
        g.writeStartArray();
        g.writeString(tag);
        return g;
    }

    private static void array(JsonGenerator g, Object[] items, Scrub scrub) throws IOException {
        g.writeStartArray();
        for (Object x : items) write(g, x, scrub);
        g.writeEndArray();
    }

    /** The value `n` encodes; a malformed one is an {@link IllegalArgumentException} naming what is wrong. */
    public static Object read(JsonNode n) { return read(n, Reveal.NOTHING.pass()); }

    /** As {@link #read(JsonNode)}, a string that held a Secret's text given back by `p` ({@link Reveal}). */
    static Object read(JsonNode n, Reveal.Pass p) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber() && n.canConvertToLong()) return n.longValue();
        if (!n.isArray() || n.isEmpty() || !n.get(0).isTextual()) throw new IllegalArgumentException("not a journal value: " + n);
        String tag = n.get(0).textValue();
        return switch (tag) {
            case "u" -> Values.Unit.UNIT;
            case "n" -> Values.None.NONE;
            case "jn" -> Values.JsonNull.NULL;
            case Scrub.SECRET -> p.string(n);
            case "s" -> new Values.Some(read(n.get(1), p));
            case "ok" -> new Values.Ok(read(n.get(1), p));
            case "err" -> new Values.Err(read(n.get(1), p));
            case "f" -> Double.longBitsToDouble(n.get(1).longValue());
            case "d" -> new BigDecimal(n.get(1).textValue());
            case "t" -> Instant.parse(n.get(1).textValue());
            case "dur" -> Duration.parse(n.get(1).textValue());
            case "l" -> {
                Object[] items = new Object[n.size() - 1];
                for (int i = 1; i < n.size(); i++) items[i - 1] = read(n.get(i), p);
                yield items.length == 0 ? Values.ListValue.EMPTY : new Values.ListValue(items);
            }
            case "m" -> {
                int size = (n.size() - 1) / 2;
                String[] keys = new String[size];
                Object[] values = new Object[size];
                for (int i = 0; i < size; i++) {
                    keys[i] = p.string(n.get(1 + 2 * i));
                    values[i] = read(n.get(2 + 2 * i), p);
                }
                yield size == 0 ? Values.MapValue.EMPTY : new Values.MapValue(keys, values);
            }
            case "r" -> {
                JsonNode names = n.get(3);
                String[] fieldNames = new String[names.size()];
                for (int i = 0; i < fieldNames.length; i++) fieldNames[i] = names.get(i).textValue();
                yield new Values.RecordValue(n.get(1).intValue(), n.get(2).textValue(), fieldNames, items(n.get(4), p));
            }
            case "e" -> new Values.EnumValue(n.get(1).intValue(), n.get(2).intValue(), n.get(3).textValue(), items(n.get(4), p));
            default -> throw new IllegalArgumentException("unknown journal value tag \"" + tag + "\"");
        };
    }

    private static Object[] items(JsonNode array, Reveal.Pass p) {
        Object[] out = new Object[array.size()];
        Iterator<JsonNode> it = array.elements();
        for (int i = 0; it.hasNext(); i++) out[i] = read(it.next(), p);
        return out;
    }
}

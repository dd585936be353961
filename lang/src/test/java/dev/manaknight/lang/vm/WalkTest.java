package dev.manaknight.lang.vm;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The VM's paid walks give the answers of the unpaid ones every host uses (issue 12). */
class WalkTest {
    private final Random rnd = new Random(12);
    /** Values.equal short-cuts on identity, so it finds a shared NaN equal to itself; the walk never does. */
    private boolean withNaN = true;

    private Object scalar() {
        return switch (rnd.nextInt(9)) {
            case 0 -> List.of("", "a", "b\"q", "back\\slash", "ab").get(rnd.nextInt(5));
            case 1 -> new BigDecimal(List.of("1", "1.0", "1.00", "2.5", "-0", "0.000").get(rnd.nextInt(6)));
            case 2 -> (long) rnd.nextInt(3);
            case 3 -> List.of(1.0, -0.0, 0.0, Double.NaN).get(rnd.nextInt(withNaN ? 4 : 3));
            case 4 -> rnd.nextBoolean();
            case 5 -> Values.None.NONE;
            case 6 -> Values.Unit.UNIT;
            case 7 -> Values.JsonNull.NULL;
            default -> "x".repeat(rnd.nextInt(40));
        };
    }

    private Object value(int depth) {
        if (depth == 0) return scalar();
        return switch (rnd.nextInt(8)) {
            case 0 -> {
                Object[] items = new Object[rnd.nextInt(3)];
                for (int i = 0; i < items.length; i++) items[i] = value(depth - 1);
                yield new Values.ListValue(items);
            }
            case 1 -> {
                var keys = new ArrayList<>(List.of("a", "b", "c").subList(0, rnd.nextInt(4)));
                if (rnd.nextBoolean()) Collections.shuffle(keys, rnd);
                Object[] values = new Object[keys.size()];
                for (int i = 0; i < values.length; i++) values[i] = value(depth - 1);
                yield new Values.MapValue(keys.toArray(String[]::new), values);
            }
            case 2 -> new Values.RecordValue(rnd.nextInt(2), "P", new String[] {"x", "y"}, new Object[] {value(depth - 1), value(depth - 1)});
            case 3 -> rnd.nextBoolean() ? new Values.EnumValue(0, 2, "Plain", new Object[0])
                    : new Values.EnumValue(0, rnd.nextInt(2), "Pay", new Object[] {value(depth - 1)});
            case 4 -> new Values.Some(value(depth - 1));
            case 5 -> new Values.Ok(value(depth - 1));
            case 6 -> new Values.Err(value(depth - 1));
            default -> scalar();
        };
    }

    /** A map with b's entries in another order, to reach the look-up half of map equality. */
    private Object reordered(Object v) {
        if (!(v instanceof Values.MapValue m) || m.size() < 2) return v;
        String[] keys = m.keys().clone();
        Object[] values = m.values().clone();
        Collections.reverse(java.util.Arrays.asList(keys));
        Collections.reverse(java.util.Arrays.asList(values));
        return new Values.MapValue(keys, values);
    }

    @Test
    void equalityAgreesWithValuesEqual() {
        var budget = new Budget(Long.MAX_VALUE, 0);
        withNaN = false;
        int equal = 0;
        for (int round = 0; round < 20_000; round++) {
            Object a = value(3), b = rnd.nextInt(4) == 0 ? reordered(a) : value(3);
            boolean expected = Values.equal(a, b);
            if (expected) equal++;
            assertEquals(expected, Walk.equal(a, b, budget), () -> Values.display(a) + " == " + Values.display(b));
        }
        assertTrue(equal > 2000, "enough equal pairs: " + equal);
    }

    @Test
    void aValueHoldingNaNIsUnequalEvenToItself() {
        // the fuel and the answer depend on the values alone, never on whether parts are shared
        var budget = new Budget(Long.MAX_VALUE, 0);
        var nan = new Values.ListValue(new Object[] {1L, Double.NaN});
        assertFalse(Walk.equal(nan, nan, budget));
        assertFalse(Walk.equal(nan, new Values.ListValue(new Object[] {1L, Double.NaN}), budget));
        assertTrue(Walk.equal(new Values.Some(-0.0), new Values.Some(0.0), budget), "IEEE ==");
    }

    @Test
    void displayAgreesWithValuesDisplayAndStaysWithinItsBound() {
        for (int round = 0; round < 20_000; round++) {
            Object v = value(3);
            var budget = new Budget(Long.MAX_VALUE, 0);
            var meter = new MemoryMeter(Long.MAX_VALUE);
            String text = Walk.display(v, budget, meter);
            assertEquals(Values.display(v), text);
            if (!(v instanceof String)) assertTrue(MemoryMeter.string(text.length()) <= meter.used(), text);
        }
    }

    @Test
    void aLongStringPrintsInsideAContainerWithItsQuotesEscaped() {
        String s = "\"\\".repeat(Text.CHUNK) + "tail";
        var v = new Values.ListValue(new Object[] {s, s});
        var budget = new Budget(Long.MAX_VALUE, 0);
        assertEquals(Values.display(v), Walk.display(v, budget, new MemoryMeter(Long.MAX_VALUE)));
        long chars = Values.display(v).length();
        assertEquals(2 + chars / Text.CHARS_PER_FUEL, budget.used(), "two elements, then the text");
    }
}

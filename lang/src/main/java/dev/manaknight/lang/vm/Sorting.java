package dev.manaknight.lang.vm;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;

/**
 * `xs.sortBy(f)`: the compiled code computes one key per element; this sorts the elements by
 * them, stably, charging one unit of fuel per comparison (the sort is deterministic, so the
 * count is too), plus what comparing long String keys or large Decimals walks.
 */
final class Sorting {
    private Sorting() {}

    static Values.ListValue byKeys(Values.ListValue xs, Values.ListValue keys, Budget budget, MemoryMeter meter) {
        int n = xs.size();
        // Compiled code builds one key per element; the verifier proves the types, not the
        // lengths, so a module that pairs other lists is refused here, as a bad value.
        if (keys.size() != n)
            throw new Trap.Fault(VmError.Kind.BAD_VALUE, "sortBy: " + n + " elements but " + keys.size() + " keys");
        if (n < 2) return xs;
        meter.charge(MemoryMeter.array(n) + (long) n * MemoryMeter.BOX + MemoryMeter.list(n)); // the Integer order too
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Comparator<Integer> byKey = (a, b) -> {
            budget.charge(1);
            return compareKeys(keys.get(a), keys.get(b), budget);
        };
        Arrays.sort(order, byKey); // a merge sort: stable
        Object[] items = new Object[n];
        for (int i = 0; i < n; i++) items[i] = xs.get(order[i]);
        return new Values.ListValue(items);
    }

    /**
     * Keys are all Int, all Decimal (by value), all Float (total order, NaN last), all String (by
     * code point), or all Instant (by time).
     */
    static int compareKeys(Object a, Object b, Budget budget) {
        return switch (a) {
            case Long x -> Long.compare(x, (Long) b);
            case BigDecimal x -> Decimals.compare(x, b, budget);
            case Double x -> Double.compare(x, (Double) b);
            case String x -> Text.compare(x, (String) b, budget);
            case java.time.Instant x -> x.compareTo((java.time.Instant) b);
            default -> throw new Trap.Fault(VmError.Kind.INTERNAL, "sortBy key of type " + a.getClass().getSimpleName());
        };
    }
}

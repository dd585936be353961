package dev.manaknight.lang.vm;

import java.util.Arrays;

/**
 * The request-local growable list behind {@code BUILDER_NEW}/{@code BUILDER_ADD}/{@code BUILDER_LIST}
 * (what `map`, `filter` and list comprehensions compile to). It never escapes into a value that
 * outlives its loop: {@code BUILDER_LIST} copies it into an immutable list.
 */
final class ListBuilder {
    /** First capacity: small lists are the common case. */
    static final int INITIAL = 8;

    private Object[] items = new Object[INITIAL];
    private int size;

    /** What {@code BUILDER_NEW} charges. */
    static long initialCost() { return MemoryMeter.HEADER + MemoryMeter.array(INITIAL); }

    void add(Object item, MemoryMeter meter) {
        if (size == items.length) {
            int capacity = items.length * 2;
            meter.charge(MemoryMeter.array(capacity));
            items = Arrays.copyOf(items, capacity);
        }
        items[size++] = item;
    }

    int size() { return size; }

    Values.ListValue toList(MemoryMeter meter) {
        if (size == 0) return Values.ListValue.EMPTY;
        meter.charge(MemoryMeter.list(size));
        return new Values.ListValue(Arrays.copyOf(items, size));
    }

    @Override public String toString() { return "<list builder of " + size + ">"; }
}

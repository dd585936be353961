package dev.manaknight.lang.bytecode;

import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Decoding tables for the enumerations whose byte values the `.mkb` format pins (opcodes,
 * builtins, route sources and body kinds): value → constant, built once from the constants' own
 * code fields, so a byte is never read as an ordinal.
 */
final class Codes {
    private Codes() {}

    /**
     * A table indexed by code, null where no constant has that code. Two constants with one code,
     * or a code outside 0..255, fail the enum's initialisation: a programming error found by the
     * first test that touches the enum.
     */
    static <E> E[] table(E[] values, ToIntFunction<E> code, IntFunction<E[]> array) {
        int max = -1;
        for (E e : values) max = Math.max(max, code.applyAsInt(e));
        E[] table = array.apply(max + 1);
        for (E e : values) {
            int c = code.applyAsInt(e);
            if (c < 0 || c > 0xFF) throw new IllegalStateException(e + ": byte value " + c + " is outside 0..255");
            if (table[c] != null) throw new IllegalStateException(e + " and " + table[c] + " share the byte value " + c);
            table[c] = e;
        }
        return table;
    }

    /** The constant with `code`, or null. */
    static <E> E lookup(E[] table, int code) {
        return code >= 0 && code < table.length ? table[code] : null;
    }
}

package dev.manaknight.lang.vm;

import java.nio.charset.StandardCharsets;

/**
 * A String's UTF-8 bytes for the crypto and encoding builtins: counted first as a paid walk (so a
 * long text meets the budget's ticks), charged to the meter, then made in one bulk copy. A lone
 * surrogate becomes `?`, as Java's encoder makes it.
 */
final class Utf8 {
    private Utf8() {}

    /** The bytes of `s`, paid as a walk of its chars and charged as an array. */
    static byte[] bytes(String s, Budget budget, MemoryMeter meter) {
        long length = length(s, budget);
        meter.charge(MemoryMeter.HEADER + length);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The UTF-8 length of `s`, paying for the walk chunk by chunk. */
    static long length(String s, Budget budget) {
        int n = s.length();
        long bytes = 0, paid = 0;
        for (int from = 0, to; from < n; from = to) {
            to = Text.chunkEnd(s, from, n);
            paid = Text.pay(paid, to, budget);
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c < 0x80) bytes += 1;
                else if (c < 0x800) bytes += 2;
                else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else if (Character.isSurrogate(c)) bytes += 1; // `?`
                else bytes += 3;
            }
        }
        return bytes;
    }

    /** Pays for walking `bytes` bytes: one unit per 16, like chars. */
    static long pay(long paid, long reached, Budget budget) {
        return Text.pay(paid, reached, budget);
    }
}

package dev.manaknight.lang.vm;

import java.math.BigDecimal;

/**
 * Counts the bytes a request's VM allocates, by estimate, and stops it at its limit. Every VM
 * allocation goes through {@link #charge}; the size estimates below are the only place that
 * knows what a value costs. Memory is never given back: the count is a deterministic upper bound
 * of the request's heap, not a measurement of what is live.
 */
final class MemoryMeter {
    /** Object header of a small object or a record value. */
    static final int HEADER = 16;
    /** One reference or array slot (a long slot in the primitive lane is 8 too). */
    static final int REF = 8;
    /** A String's fixed part: object, hash, coder and its byte array's header. */
    static final int STRING = 40;
    /** A boxed Long, Double or Boolean, or a Some/Ok/Err wrapper. */
    static final int BOX = 16;

    private final long limit;
    private long used;

    MemoryMeter(long limit) { this.limit = limit; }

    /** Charges `bytes`; throws when that would cross the limit (nothing is charged then). */
    void charge(long bytes) {
        if (bytes > limit - used) throw new Trap.MemoryExhausted(limit);
        used += bytes;
    }

    long used() { return used; }

    /** A String of `chars` UTF-16 units (two bytes each: the meter assumes the worst case). */
    static long string(long chars) { return STRING + 2 * chars; }

    /** An array of `n` slots with its header. */
    static long array(long n) { return HEADER + REF * n; }

    /** A ListValue of `n` items. */
    static long list(long n) { return HEADER + array(n); }

    /** A MapValue of `n` entries. */
    static long map(long n) { return HEADER + 2 * array(n); }

    /** A RecordValue or an EnumValue with `n` fields. */
    static long record(long n) { return HEADER + REF * 2 + array(n); }

    /** A Decimal: small ones fit a long; larger ones carry a digit array. */
    static long decimal(BigDecimal d) { return decimalDigits(d.precision()); }

    /** A Decimal of `digits` significant digits: up to 18 fit a long, more need a magnitude array. */
    static long decimalDigits(long digits) { return digits <= 18 ? 40 : 40 + HEADER + 32 + digits / 2; }

    /**
     * A deep estimate of a value that arrives from outside (an effect result, a response in a
     * test): what building it inside the VM would have cost.
     */
    static long deep(Object v) {
        return switch (v) {
            case null -> 0;
            case Values.Unit u -> 0;
            case Values.None n -> 0;
            case Values.JsonNull j -> 0;
            case String s -> string(s.length());
            case BigDecimal d -> decimal(d);
            case Long l -> BOX;
            case Double d -> BOX;
            case Boolean b -> BOX;
            case java.time.Instant t -> Times.SIZE;
            case java.time.Duration d -> Times.SIZE;
            case Values.Some s -> BOX + deep(s.value());
            case Values.Ok o -> BOX + deep(o.value());
            case Values.Err e -> BOX + deep(e.value());
            case Values.ListValue l -> {
                long n = list(l.size());
                for (Object x : l.items()) n += deep(x);
                yield n;
            }
            case Values.MapValue m -> {
                long n = map(m.size());
                for (int i = 0; i < m.size(); i++) n += deep(m.keys()[i]) + deep(m.values()[i]);
                yield n;
            }
            case Values.RecordValue r -> {
                long n = record(r.fields().length);
                for (Object x : r.fields()) n += deep(x);
                yield n;
            }
            case Values.EnumValue e -> {
                long n = e.payload().length == 0 ? 0 : record(e.payload().length);
                for (Object x : e.payload()) n += deep(x);
                yield n;
            }
            default -> HEADER; // anything else a host hands over is small
        };
    }
}

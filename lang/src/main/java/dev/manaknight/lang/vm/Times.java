package dev.manaknight.lang.vm;

import dev.manaknight.lang.model.TimeText;
import java.time.Duration;
import java.time.Instant;

/**
 * The `Instant` and `Duration` builtins: arithmetic that traps instead of leaving years
 * 0000..9999 (`bad-value`) or Int's range of milliseconds (`integer-overflow`), comparison, and
 * parsing RFC 3339 text. Each makes at most one small object, charged to the meter; parsing pays
 * for the text it reads.
 */
final class Times {
    private Times() {}

    /** An Instant or a Duration: a header, a long and an int. */
    static final int SIZE = 24;

    static Instant plus(Instant t, Duration d, boolean add, MemoryMeter meter) {
        long ms = add ? IntMath.add(t.toEpochMilli(), d.toMillis()) : IntMath.sub(t.toEpochMilli(), d.toMillis());
        Instant r = Instant.ofEpochMilli(ms);
        if (r.isBefore(TimeText.MIN) || r.isAfter(TimeText.MAX))
            throw new Trap.Fault(VmError.Kind.BAD_VALUE,
                    "the instant " + (add ? "+ " : "- ") + d + " is outside years 0000..9999");
        meter.charge(SIZE);
        return r;
    }

    /** `a.since(b)`: a - b. */
    static Duration since(Instant a, Instant b, MemoryMeter meter) {
        meter.charge(SIZE);
        return Duration.ofMillis(IntMath.sub(a.toEpochMilli(), b.toEpochMilli()));
    }

    /** `n.seconds()` and the like: n times a unit of `unitMillis`. */
    static Duration of(long n, long unitMillis, MemoryMeter meter) {
        meter.charge(SIZE);
        return Duration.ofMillis(IntMath.mul(n, unitMillis));
    }

    static Duration add(Duration a, Duration b, boolean add, MemoryMeter meter) {
        meter.charge(SIZE);
        return Duration.ofMillis(add ? IntMath.add(a.toMillis(), b.toMillis()) : IntMath.sub(a.toMillis(), b.toMillis()));
    }

    /** `s.toInstant()`: RFC 3339 ({@link TimeText#parse}), or none. */
    static Object parse(String s, Budget budget, MemoryMeter meter) {
        Text.walk(Math.min(s.length(), 64), budget);
        Instant t = TimeText.parse(s);
        if (t == null) return Values.None.NONE;
        meter.charge(SIZE + MemoryMeter.BOX);
        return new Values.Some(t);
    }
}

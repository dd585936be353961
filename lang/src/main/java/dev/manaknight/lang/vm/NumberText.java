package dev.manaknight.lang.vm;

import java.math.BigDecimal;

/**
 * Numbers as text for people: `n.format(sep)` groups an Int's digits by threes, and
 * `d.format(scale, sep)` rounds a Decimal half-even to `scale` decimals and groups its integer
 * digits the same way (`1234567.891.format(2, ",")` is `1,234,567.89`). The decimal point is
 * always `.`. The text is charged to the meter before it is built and paid in fuel as text made;
 * a Decimal's rounding and printing pay what {@link Decimals} charges for them.
 */
final class NumberText {
    private NumberText() {}

    /** Largest scale `format` accepts: as for `round`, a larger one would only add zeros. */
    static final int MAX_SCALE = Decimals.MAX_ROUND_SCALE;

    /** `n.format(sep)`: `-1,234,567` for `","`; `""` leaves the digits ungrouped. */
    static String formatInt(long n, String sep, Budget budget, MemoryMeter meter) {
        return grouped(Long.toString(n), sep, budget, meter);
    }

    /** `d.format(scale, sep)`: exactly `scale` decimals (0..{@link #MAX_SCALE}), half-even; grouped integer digits. */
    static String formatDecimal(BigDecimal d, long scale, String sep, Budget budget, MemoryMeter meter) {
        if (scale < 0 || scale > MAX_SCALE)
            throw new Trap.Fault(VmError.Kind.BAD_VALUE, "format scale " + scale + " is outside 0.." + MAX_SCALE);
        BigDecimal rounded = Decimals.round(d, scale, budget, meter);
        // plain text: the integer digits (at least one), the point and the scale's digits, a sign
        long plainChars = Math.max(rounded.precision() - (long) rounded.scale(), 1) + scale + 2;
        budget.charge(Decimals.textCost(rounded.precision()));
        meter.charge(MemoryMeter.string(plainChars));
        Text.tooLong(plainChars);
        return grouped(rounded.toPlainString(), sep, budget, meter);
    }

    /** `plain` (an optional `-`, digits, optionally `.` and more digits) with `sep` between groups of three integer digits. */
    private static String grouped(String plain, String sep, Budget budget, MemoryMeter meter) {
        int sign = plain.startsWith("-") ? 1 : 0;
        int point = plain.indexOf('.');
        int whole = (point < 0 ? plain.length() : point) - sign;
        long seps = sep.isEmpty() ? 0 : (whole - 1) / 3;
        long chars = plain.length() + seps * sep.length();
        meter.charge(MemoryMeter.string(chars));
        Text.tooLong(chars);
        var sb = new StringBuilder((int) chars);
        sb.append(plain, 0, sign);
        long paid = 0;
        for (int i = 0; i < whole; i++) {
            if (i > 0 && seps > 0 && (whole - i) % 3 == 0) {
                sb.append(sep);
                if (sb.length() - paid >= Text.CHUNK) paid = Text.pay(paid, sb.length(), budget);
            }
            sb.append(plain.charAt(sign + i));
        }
        sb.append(plain, sign + whole, plain.length());
        Text.pay(paid, sb.length(), budget);
        return sb.toString();
    }
}

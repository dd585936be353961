package dev.manaknight.lang.vm;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Decimal arithmetic: exact where it can be, 34 significant digits half-even where a quotient
 * does not terminate. Each result's size is charged to the meter before it is computed (a
 * quotient, at most linear in its operands, when it is made), so an operation can never build
 * a number larger than the request may hold; and each operation pays fuel for the digits it
 * works on ({@link #cost}) before it starts, since Java's BigDecimal cannot be interrupted.
 */
final class Decimals {
    private Decimals() {}

    /** Quotients that do not terminate: IEEE 754 decimal128, 34 digits, half-even. */
    static final MathContext INEXACT = MathContext.DECIMAL128;
    /** Largest |scale| `round(scale)` accepts: a larger one would only make zeros. */
    static final int MAX_ROUND_SCALE = 1000;
    /** Digits per block in the superlinear part of {@link #cost}. */
    private static final int BLOCK = 64;

    /**
     * Fuel for an operation on numbers of up to `digits` digits: one unit per 16 digits, plus
     * the square of the number of 64-digit blocks. Java multiplies, divides, aligns scales (by
     * powers of ten), parses and prints large numbers in superlinear time (parsing 100,000
     * digits: 160 ms; a 100,000 by 50,000 digit division: 50 ms), and the square bounds all of
     * them, while numbers below 64 digits pay only the linear part (nothing below 16).
     */
    static long cost(long digits) {
        long blocks = digits / BLOCK;
        return digits / Text.CHARS_PER_FUEL + blocks * blocks;
    }

    /** The superlinear part alone, for printing: the linear part is paid as text. */
    static long textCost(long digits) {
        long blocks = digits / BLOCK;
        return blocks * blocks;
    }

    /** Fuel for parsing a Decimal from `chars` chars (Java's parser is quadratic). */
    static long parseCost(long chars) { return cost(chars); }

    static BigDecimal add(Object a, Object b, Budget budget, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a, y = (BigDecimal) b;
        long digits = sumDigits(x, y);
        meter.charge(size(digits));
        budget.charge(cost(digits));
        return x.add(y);
    }

    static BigDecimal sub(Object a, Object b, Budget budget, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a, y = (BigDecimal) b;
        long digits = sumDigits(x, y);
        meter.charge(size(digits));
        budget.charge(cost(digits));
        return x.subtract(y);
    }

    static BigDecimal mul(Object a, Object b, Budget budget, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a, y = (BigDecimal) b;
        long digits = (long) x.precision() + y.precision();
        meter.charge(size(digits));
        budget.charge(cost(digits));
        try {
            return x.multiply(y);
        } catch (ArithmeticException e) {
            throw overflow(e);
        }
    }

    /** Exact when the quotient terminates (`1/4` is `0.25`), else rounded to 34 digits. */
    static BigDecimal div(Object a, Object b, Budget budget, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a, y = (BigDecimal) b;
        if (y.signum() == 0) throw new Trap.Fault(VmError.Kind.DIVISION_BY_ZERO, "division by zero: " + brief(x) + " / 0");
        // Java's exact quotient is worked out to x's digits + 10/3 of y's; the rounded one on operands as long
        budget.charge(cost(quotientDigits(x, y)));
        BigDecimal q;
        try {
            q = x.divide(y);
        } catch (ArithmeticException nonTerminating) {
            try {
                q = x.divide(y, INEXACT).stripTrailingZeros();
            } catch (ArithmeticException e) {
                throw overflow(e);
            }
        }
        meter.charge(MemoryMeter.decimal(q));
        return q;
    }

    /** Remainder with the sign of the dividend. */
    static BigDecimal mod(Object a, Object b, Budget budget, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a, y = (BigDecimal) b;
        if (y.signum() == 0) throw new Trap.Fault(VmError.Kind.DIVISION_BY_ZERO, "division by zero: " + brief(x) + " % 0");
        long shift = Math.abs((long) x.scale() - y.scale());
        meter.charge(size(Math.max(x.precision(), y.precision()) + shift));
        // Java divides to an integral quotient worked out to that many digits, plus the scales' difference
        budget.charge(cost(quotientDigits(x, y) + shift));
        try {
            return x.remainder(y);
        } catch (ArithmeticException e) {
            throw overflow(e);
        }
    }

    static BigDecimal neg(Object a, Budget budget, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a;
        budget.charge(cost(x.precision()));
        meter.charge(MemoryMeter.decimal(x));
        return x.negate();
    }

    /**
     * -1, 0 or 1 by value: `2.50` equals `2.5`. Java aligns unequal scales by a power of ten only
     * when the two have the same number of integer digits, so by at most the longer one's digits.
     */
    static int compare(Object a, Object b, Budget budget) {
        BigDecimal x = (BigDecimal) a, y = (BigDecimal) b;
        budget.charge(cost(Math.max(x.precision(), y.precision())));
        return Integer.signum(x.compareTo(y));
    }

    /** `d.round(scale)`, half-even. */
    static BigDecimal round(BigDecimal d, long scale, Budget budget, MemoryMeter meter) {
        checkScale(scale);
        long added = scale - d.scale(); // digits appended (> 0) or rounded away (< 0)
        if (d.signum() == 0 || added < -(d.precision() + 1L)) {
            // every digit is rounded away (or there are none): zero, without dividing by 10^-added
            meter.charge(MemoryMeter.decimalDigits(1));
            return BigDecimal.valueOf(0, (int) scale);
        }
        long digits = d.precision() + Math.max(added, 0);
        if (added > 0) meter.charge(size(digits));
        budget.charge(cost(digits + Math.max(-added, 0)));
        BigDecimal q = d.setScale((int) scale, RoundingMode.HALF_EVEN);
        if (added <= 0) meter.charge(MemoryMeter.decimal(q));
        return q;
    }

    /**
     * `d.toInt()`: some(n) when d is a whole number within Int's range (`2.00` is 2), else none.
     * Dropping a fraction of zeros divides by a power of ten: paid like a rounding of d's digits.
     */
    static Object toInt(BigDecimal d, Budget budget, MemoryMeter meter) {
        budget.charge(cost(d.precision()));
        long n;
        try {
            n = d.longValueExact();
        } catch (ArithmeticException fractionOrRange) {
            return Values.None.NONE;
        }
        meter.charge(2 * MemoryMeter.BOX);
        return new Values.Some(n);
    }

    static void checkScale(long scale) {
        if (scale < -MAX_ROUND_SCALE || scale > MAX_ROUND_SCALE)
            throw new Trap.Fault(VmError.Kind.BAD_VALUE,
                    "round scale " + scale + " is outside -" + MAX_ROUND_SCALE + ".." + MAX_ROUND_SCALE);
    }

    /** Digits of an exact sum or difference: the wider integer part plus the longer fraction, plus a carry. */
    private static long sumDigits(BigDecimal x, BigDecimal y) {
        long whole = Math.max((long) x.precision() - x.scale(), (long) y.precision() - y.scale());
        long fraction = Math.max(Math.max(x.scale(), y.scale()), 0);
        return Math.max(whole, 1) + fraction + 1;
    }

    /** Digits Java works with to divide x by y: x's, y's, and the 10/3 of y's its exact quotient allows for. */
    private static long quotientDigits(BigDecimal x, BigDecimal y) {
        return (long) x.precision() + y.precision() + (10L * y.precision() + 2) / 3 + 2;
    }

    /** x as a message shows it: its digits when they are few, else their count (10^1,000,000,000 has a billion). */
    private static String brief(BigDecimal x) {
        return x.precision() <= 40 && Math.abs(x.scale()) <= 40 ? x.toPlainString() : "a Decimal of " + x.precision() + " digits";
    }

    private static Trap.Fault overflow(ArithmeticException e) {
        return new Trap.Fault(VmError.Kind.OVERFLOW, "decimal overflow: " + e.getMessage());
    }

    private static long size(long digits) { return MemoryMeter.decimalDigits(digits); }
}

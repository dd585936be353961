package dev.manaknight.lang.vm;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Decimal arithmetic: exact where it can be, 34 significant digits half-even where a quotient
 * does not terminate. Each result's size is charged to the meter before it is computed, so an
 * operation can never build a number larger than the request may hold.
 */
final class Decimals {
    private Decimals() {}

    /** Quotients that do not terminate: IEEE 754 decimal128, 34 digits, half-even. */
    static final MathContext INEXACT = MathContext.DECIMAL128;
    /** Largest |scale| `round(scale)` accepts: a larger one would only make zeros. */
    static final int MAX_ROUND_SCALE = 1000;

    static BigDecimal add(Object a, Object b, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a, y = (BigDecimal) b;
        meter.charge(size(sumDigits(x, y)));
        return x.add(y);
    }

    static BigDecimal sub(Object a, Object b, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a, y = (BigDecimal) b;
        meter.charge(size(sumDigits(x, y)));
        return x.subtract(y);
    }

    static BigDecimal mul(Object a, Object b, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a, y = (BigDecimal) b;
        meter.charge(size((long) x.precision() + y.precision()));
        try {
            return x.multiply(y);
        } catch (ArithmeticException e) {
            throw new Trap.Fault(VmError.Kind.OVERFLOW, "decimal overflow: " + e.getMessage());
        }
    }

    /** Exact when the quotient terminates (`1/4` is `0.25`), else rounded to 34 digits. */
    static BigDecimal div(Object a, Object b, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a, y = (BigDecimal) b;
        if (y.signum() == 0) throw new Trap.Fault(VmError.Kind.DIVISION_BY_ZERO, "division by zero: " + x.toPlainString() + " / 0");
        BigDecimal q;
        try {
            q = x.divide(y);
        } catch (ArithmeticException nonTerminating) {
            q = x.divide(y, INEXACT).stripTrailingZeros();
        }
        meter.charge(MemoryMeter.decimal(q));
        return q;
    }

    /** Remainder with the sign of the dividend. */
    static BigDecimal mod(Object a, Object b, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a, y = (BigDecimal) b;
        if (y.signum() == 0) throw new Trap.Fault(VmError.Kind.DIVISION_BY_ZERO, "division by zero: " + x.toPlainString() + " % 0");
        meter.charge(size(Math.max(x.precision(), y.precision()) + (long) Math.abs(x.scale() - y.scale())));
        return x.remainder(y);
    }

    static BigDecimal neg(Object a, MemoryMeter meter) {
        BigDecimal x = (BigDecimal) a;
        meter.charge(MemoryMeter.decimal(x));
        return x.negate();
    }

    /** -1, 0 or 1 by value: `2.50` equals `2.5`. */
    static int compare(Object a, Object b) {
        return Integer.signum(((BigDecimal) a).compareTo((BigDecimal) b));
    }

    /** `d.round(scale)`, half-even. */
    static BigDecimal round(BigDecimal d, long scale, MemoryMeter meter) {
        checkScale(scale);
        BigDecimal q = d.setScale((int) scale, RoundingMode.HALF_EVEN);
        meter.charge(MemoryMeter.decimal(q));
        return q;
    }

    static void checkScale(long scale) {
        if (scale < -MAX_ROUND_SCALE || scale > MAX_ROUND_SCALE)
            throw new Trap.Fault(VmError.Kind.BAD_VALUE, "round scale " + scale + " is outside -" + MAX_ROUND_SCALE + ".." + MAX_ROUND_SCALE);
    }

    /** Digits of an exact sum or difference: the wider integer part plus the longer fraction, plus a carry. */
    private static long sumDigits(BigDecimal x, BigDecimal y) {
        long whole = Math.max((long) x.precision() - x.scale(), (long) y.precision() - y.scale());
        long fraction = Math.max(Math.max(x.scale(), y.scale()), 0);
        return Math.max(whole, 1) + fraction + 1;
    }

    private static long size(long digits) { return MemoryMeter.decimalDigits(digits); }
}

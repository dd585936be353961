package dev.manaknight.lang.vm;

/** Int arithmetic that traps instead of wrapping: Manaknight's Int never overflows silently. */
final class IntMath {
    private IntMath() {}

    static long add(long a, long b) {
        long s = a + b;
        if (((a ^ s) & (b ^ s)) < 0) throw overflow(a, "+", b);
        return s;
    }

    static long sub(long a, long b) {
        long d = a - b;
        if (((a ^ b) & (a ^ d)) < 0) throw overflow(a, "-", b);
        return d;
    }

    static long mul(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) return lo;
        throw overflow(a, "*", b);
    }

    static long div(long a, long b) {
        if (b == 0) throw byZero(a, "/");
        if (a == Long.MIN_VALUE && b == -1) throw overflow(a, "/", b);
        return a / b;
    }

    /** Remainder with the sign of the dividend, as Java's `%`. */
    static long mod(long a, long b) {
        if (b == 0) throw byZero(a, "%");
        return a % b;
    }

    static long neg(long a) {
        if (a == Long.MIN_VALUE) throw new Trap.Fault(VmError.Kind.OVERFLOW, "integer overflow: -(" + a + ")");
        return -a;
    }

    static long abs(long a) {
        if (a == Long.MIN_VALUE) throw new Trap.Fault(VmError.Kind.OVERFLOW, "integer overflow: abs(" + a + ")");
        return Math.abs(a);
    }

    private static Trap overflow(long a, String op, long b) {
        return new Trap.Fault(VmError.Kind.OVERFLOW, "integer overflow: " + a + " " + op + " " + b);
    }

    private static Trap byZero(long a, String op) {
        return new Trap.Fault(VmError.Kind.DIVISION_BY_ZERO, "division by zero: " + a + " " + op + " 0");
    }
}

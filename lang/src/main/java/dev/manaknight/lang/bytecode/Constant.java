package dev.manaknight.lang.bytecode;

import java.math.BigDecimal;

/** An entry of the module's constant pool. */
public sealed interface Constant {
    record IntConst(long value) implements Constant {}

    record FloatConst(double value) implements Constant {
        @Override public boolean equals(Object o) {
            return o instanceof FloatConst f && Double.doubleToRawLongBits(f.value) == Double.doubleToRawLongBits(value);
        }

        @Override public int hashCode() { return Long.hashCode(Double.doubleToRawLongBits(value)); }
    }

    record StrConst(String value) implements Constant {}

    /** Decimal constants keep their scale: `2.50` stays `2.50`. */
    record DecConst(BigDecimal value) implements Constant {}

    /** The constant as a VM value: Long, Double, String or BigDecimal. */
    default Object boxed() {
        return switch (this) {
            case IntConst c -> c.value();
            case FloatConst c -> c.value();
            case StrConst c -> c.value();
            case DecConst c -> c.value();
        };
    }
}

package dev.manaknight.lang.bytecode;

/** The width and meaning of one instruction operand. All multi-byte operands are big-endian. */
public enum Operand {
    /** Unsigned byte: a local slot, a count, a field or variant index. */
    U8(1),
    /** Unsigned 16 bits: a constant, function, type, effect or builtin index. */
    U16(2),
    /** Signed 16 bits: a small integer immediate. */
    S16(2),
    /** Unsigned 16 bits: an absolute code offset inside the same function. */
    TARGET(2);

    public final int width;

    Operand(int width) { this.width = width; }
}

package dev.manaknight.lang.bytecode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The narrow emitter through which code generation (and hand-written test programs) produce
 * instruction bytes: opcodes with operands, forward and backward labels, and the line table.
 * It knows operand widths from {@link Opcode}; it checks nothing else (the verifier does).
 */
public final class CodeBuilder {
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final List<Integer> lines = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();
    private final List<int[]> fixups = new ArrayList<>(); // {operand offset, label index}
    private int currentLine = -1;

    /** A jump target, bound once to a code offset. */
    public static final class Label {
        private final int index;
        private int offset = -1;

        private Label(int index) { this.index = index; }

        public boolean bound() { return offset >= 0; }

        public int offset() { return offset; }
    }

    /** Sets the source line of the instructions emitted from now on. */
    public CodeBuilder line(int line) {
        if (line != currentLine && line > 0) {
            int pc = code.size();
            if (!lines.isEmpty() && lines.get(lines.size() - 2) == pc) {
                lines.set(lines.size() - 1, line);
            } else {
                lines.add(pc);
                lines.add(line);
            }
            currentLine = line;
        }
        return this;
    }

    /** Current code offset. */
    public int pc() { return code.size(); }

    /** Emits an instruction; `operands` must match {@code op.operands} (TARGET operands: use {@link #jump}). */
    public CodeBuilder op(Opcode op, int... operands) {
        if (operands.length != op.operands.size())
            throw new IllegalArgumentException(op + " takes " + op.operands.size() + " operands, got " + operands.length);
        code.write(op.code());
        for (int i = 0; i < operands.length; i++) write(op.operands.get(i), operands[i]);
        return this;
    }

    public Label newLabel() {
        Label l = new Label(labels.size());
        labels.add(l);
        return l;
    }

    /** Binds a label to the current offset. */
    public CodeBuilder bind(Label label) {
        if (label.bound()) throw new IllegalStateException("label bound twice");
        label.offset = code.size();
        return this;
    }

    /** Emits a JUMP, JUMP_IF_FALSE, JUMP_IF_TRUE or LOOP to a label, bound now or later. */
    public CodeBuilder jump(Opcode op, Label target) {
        if (op.operands.size() != 1 || op.operands.getFirst() != Operand.TARGET)
            throw new IllegalArgumentException(op + " is not a jump");
        code.write(op.code());
        fixups.add(new int[] {code.size(), target.index});
        code.write(0);
        code.write(0);
        return this;
    }

    /** The finished code; every label used must be bound. */
    public byte[] code() {
        byte[] bytes = code.toByteArray();
        for (int[] f : fixups) {
            Label l = labels.get(f[1]);
            if (!l.bound()) throw new IllegalStateException("unbound label");
            bytes[f[0]] = (byte) (l.offset >>> 8);
            bytes[f[0] + 1] = (byte) l.offset;
        }
        return bytes;
    }

    /** The line table as (pc, line) pairs. */
    public int[] lineTable() {
        int[] out = new int[lines.size()];
        for (int i = 0; i < out.length; i++) out[i] = lines.get(i);
        return out;
    }

    private void write(Operand operand, int value) {
        switch (operand) {
            case U8 -> {
                if (value < 0 || value > 0xFF) throw new IllegalArgumentException("u8 operand out of range: " + value);
                code.write(value);
            }
            case U16, TARGET -> {
                if (value < 0 || value > 0xFFFF) throw new IllegalArgumentException("u16 operand out of range: " + value);
                code.write(value >>> 8);
                code.write(value);
            }
            case S16 -> {
                if (value < Short.MIN_VALUE || value > Short.MAX_VALUE)
                    throw new IllegalArgumentException("s16 operand out of range: " + value);
                code.write((value >>> 8) & 0xFF);
                code.write(value & 0xFF);
            }
        }
    }
}

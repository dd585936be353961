package dev.manaknight.fcgi;

import java.util.Arrays;

/**
 * One request's PARAMS or STDIN stream as it arrives, record by record. Web servers usually send
 * a stream in one record (nginx: all params in one), so the first record's content is kept as
 * it is, without a copy; only a second record makes it a growing array.
 */
final class StreamBuffer {
    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes = EMPTY;
    private int size;
    /** Whether `bytes` is a record's content, held as it came (never written to). */
    private boolean borrowed;

    /** Appends one record's content; the array is not changed afterwards, by the caller or by this. */
    void add(byte[] content) {
        if (content.length == 0) return;
        if (size == 0) {
            bytes = content;
            size = content.length;
            borrowed = true;
            return;
        }
        if (borrowed || size + content.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + content.length, bytes.length * 2));
            borrowed = false;
        }
        System.arraycopy(content, 0, bytes, size, content.length);
        size += content.length;
    }

    int size() { return size; }

    /** Drops what was read (a body past the limit is read and dropped). */
    void reset() {
        bytes = EMPTY;
        size = 0;
        borrowed = false;
    }

    /** The stream's bytes: the array itself when it is exactly full, else a trimmed copy. */
    byte[] toByteArray() { return size == bytes.length ? bytes : Arrays.copyOf(bytes, size); }
}

package dev.manaknight.runtime.journal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * The writer thread's one buffer of chain lines on their way to a segment, reused from batch to
 * batch: a record is encoded straight into its line behind a frame left blank
 * ({@link Chain#open}), hashed where it lies and the frame filled in ({@link Chain#close}), so its
 * bytes are made once and copied once more, into the file. (Before, a record's bytes were copied
 * five times through arrays made for it: the writer made as much garbage as the requests did.)
 */
final class Chunk extends OutputStream {
    private byte[] buf = new byte[64 * 1024];
    private int size;

    int size() { return size; }

    byte[] array() { return buf; }

    /** Forgets everything from `at` on (a record that failed to encode, lines written already). */
    void cut(int at) { size = at; }

    /** Leaves `n` bytes to be filled in later. */
    void skip(int n) {
        reserve(n);
        size += n;
    }

    /** Drops the bytes before `at`, moving what follows to the front. */
    void shift(int at) {
        System.arraycopy(buf, at, buf, 0, size - at);
        size -= at;
    }

    /** Room for `n` more bytes at the end. */
    void reserve(int n) {
        if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }

    @Override public void write(int b) {
        reserve(1);
        buf[size++] = (byte) b;
    }

    @Override public void write(byte[] b, int off, int len) {
        reserve(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Writes bytes `from` to `to` to the channel, all of them. */
    void writeTo(FileChannel channel, int from, int to) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, from, to - from);
        while (b.hasRemaining()) channel.write(b);
    }

    /** A buffer this large after a big record is let go rather than kept for the next batch. */
    void trim() {
        if (buf.length > 4 * 1024 * 1024 && size == 0) buf = new byte[64 * 1024];
    }
}

package dev.manaknight.runtime.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Segment files on a disk whose next fsync, once {@link #hold}, does not end until
 * {@link #release}: what a slow disk does to requests waiting for their records.
 */
final class HeldFsync implements SegmentFiles {
    private volatile CountDownLatch gate;
    private final CountDownLatch holding = new CountDownLatch(1);

    /** The fsyncs from now on wait for {@link #release}. */
    void hold() { gate = new CountDownLatch(1); }

    void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) g.countDown();
    }

    /** Waits until an fsync is held, at most `seconds`. */
    boolean awaitHeld(long seconds) throws InterruptedException { return holding.await(seconds, TimeUnit.SECONDS); }

    @Override public FileChannel create(Path file) throws IOException {
        return new Channel(SegmentFiles.DISK.create(file));
    }

    private final class Channel extends FileChannel {
        private final FileChannel c;

        Channel(FileChannel c) { this.c = c; }

        @Override public void force(boolean metaData) throws IOException {
            CountDownLatch g = gate;
            if (g != null) {
                holding.countDown();
                try {
                    if (!g.await(30, TimeUnit.SECONDS)) throw new IOException("held fsync never released");
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            c.force(metaData);
        }

        @Override public int read(ByteBuffer dst) throws IOException { return c.read(dst); }
        @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return c.read(dsts, offset, length); }
        @Override public int write(ByteBuffer src) throws IOException { return c.write(src); }
        @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException { return c.write(srcs, offset, length); }
        @Override public long position() throws IOException { return c.position(); }
        @Override public FileChannel position(long p) throws IOException { c.position(p); return this; }
        @Override public long size() throws IOException { return c.size(); }
        @Override public FileChannel truncate(long size) throws IOException { c.truncate(size); return this; }
        @Override public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return c.transferTo(position, count, target);
        }
        @Override public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return c.transferFrom(src, position, count);
        }
        @Override public int read(ByteBuffer dst, long position) throws IOException { return c.read(dst, position); }
        @Override public int write(ByteBuffer src, long position) throws IOException { return c.write(src, position); }
        @Override public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException { return c.map(mode, position, size); }
        @Override public FileLock lock(long position, long size, boolean shared) throws IOException { return c.lock(position, size, shared); }
        @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return c.tryLock(position, size, shared);
        }
        @Override protected void implCloseChannel() throws IOException { c.close(); }
    }
}

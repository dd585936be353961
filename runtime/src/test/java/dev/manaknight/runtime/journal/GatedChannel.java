package dev.manaknight.runtime.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A segment's file whose fsyncs (`force`) a test holds: each waits for a permit, and the test
 * sees how many began and ended. Everything else goes to the real file.
 */
final class GatedChannel extends FileChannel {
    private final FileChannel file;
    final Semaphore permits = new Semaphore(0);
    final AtomicInteger begun = new AtomicInteger();
    final AtomicInteger ended = new AtomicInteger();

    GatedChannel(FileChannel file) { this.file = file; }

    @Override public void force(boolean metaData) throws IOException {
        begun.incrementAndGet();
        permits.acquireUninterruptibly();
        file.force(metaData);
        ended.incrementAndGet();
    }

    @Override public int read(ByteBuffer dst) throws IOException { return file.read(dst); }

    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return file.read(dsts, offset, length);
    }

    @Override public int write(ByteBuffer src) throws IOException { return file.write(src); }

    @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return file.write(srcs, offset, length);
    }

    @Override public long position() throws IOException { return file.position(); }

    @Override public FileChannel position(long p) throws IOException {
        file.position(p);
        return this;
    }

    @Override public long size() throws IOException { return file.size(); }

    @Override public FileChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target);
    }

    @Override public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return file.transferFrom(src, position, count);
    }

    @Override public int read(ByteBuffer dst, long position) throws IOException { return file.read(dst, position); }

    @Override public int write(ByteBuffer src, long position) throws IOException { return file.write(src, position); }

    @Override public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return file.map(mode, position, size);
    }

    @Override public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override protected void implCloseChannel() throws IOException { file.close(); }
}

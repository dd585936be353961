package dev.manaknight.runtime.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One instance's segment files and the end of its chain, used by the journal's writer thread
 * only. A segment is `INSTANCE-NNNNNN.jsonl`; its first line says which (instance, number, when
 * it began) and is chained like a record, its `prev` the last hash of the segment before, so that
 * the segments of an instance form one chain. A segment holds at most `segmentSize` bytes, unless
 * one record alone is larger; past `keep` segments (0: no limit) the oldest is deleted.
 *
 * <p>In audit mode (`durable`: every flush fsynced) a segment is written into zeros written ahead of it
 * ({@link #EXTEND} at a time): an fdatasync then flushes the record's pages only, not also the
 * file's new size and blocks, which made it 1.7 times as long under load (bench/RESULTS.md §24).
 * The zeros past the last line are cut off when the segment ends or closes; after a crash they
 * stay, and readers take them for the segment's end ({@link JournalFiles#lines}).
 */
final class Segments implements AutoCloseable {
    /** A segment's file name: the instance, its number. */
    static final Pattern NAME = Pattern.compile("([0-9a-z]{10})-([0-9]{6,})\\.jsonl");

    private final Path dir;
    private final String instance;
    private final long segmentSize;
    private final int keep;
    private final Deque<Path> onDisk = new ArrayDeque<>();
    private FileChannel channel;
    /** The file {@link #channel} writes. */
    private Path file;
    private int number;
    /** The segment's bytes below this have been given to {@link PageCache#drop} (twice, see there). */
    private long dropped;
    /** The chain's end and the segment's size as written and flushed ({@link #undo} returns to them). */
    private String flushedHash = Chain.GENESIS;
    private long flushedSize;
    /** The chain's end and the segment's size counting sealed lines not yet flushed. */
    private String hash = Chain.GENESIS;
    private long size;
    private volatile long bytes;

    private final SegmentFiles opener;
    /** Audit mode: every flush is fsynced, and lines are written into zeros written ahead of them. */
    private final boolean durable;
    /** The segment file's size: its lines and the zeros written ahead of them. */
    private long allocated;

    /**
     * How far past a write that would reach beyond them the zeros are extended: a new segment by
     * {@link #FIRST_EXTEND}, then by as much as it has, up to this (a segment of one record, as a
     * CGI request's, does not write and flush a megabyte of zeros).
     */
    static final int EXTEND = 1 << 20;
    static final int FIRST_EXTEND = 64 << 10;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10).asReadOnlyBuffer();

    private Segments(Path dir, String instance, long segmentSize, int keep, SegmentFiles opener, boolean durable) {
        this.opener = opener;
        this.durable = durable;
        this.dir = dir;
        this.instance = instance;
        this.segmentSize = segmentSize;
        this.keep = keep;
    }

    /** @param durable audit mode: fsync every flush, into zeros written ahead (see the class's comment) */
    static Segments create(Path dir, String instance, long segmentSize, int keep, SegmentFiles opener, boolean durable)
            throws IOException {
        Files.createDirectories(dir);
        var s = new Segments(dir, instance, segmentSize, keep, opener, durable);
        s.rotate();
        return s;
    }

    /** The file of segment `number`. */
    static String fileName(String instance, int number) { return instance + "-" + String.format("%06d", number) + ".jsonl"; }

    /**
     * The segment a file's name says it is, or null when the name is none {@link #fileName} writes:
     * a number of 0 or past an int, or one with more leading zeros than six digits need (a copy
     * named `…-0000001.jsonl` would otherwise be a second segment 1).
     */
    static JournalFiles.Segment parseName(Path file) {
        String name = file.getFileName().toString();
        Matcher m = NAME.matcher(name);
        if (!m.matches() || m.group(2).length() > 10) return null;
        long number = Long.parseLong(m.group(2));
        if (number < 1 || number > Integer.MAX_VALUE || !name.equals(fileName(m.group(1), (int) number))) return null;
        return new JournalFiles.Segment(file, m.group(1), (int) number);
    }

    /** True when a record of `record` bytes would take the segment past its size (a segment takes at least one). */
    boolean full(int record) {
        long line = Chain.RECORD_AT + record + 2;
        return size + line > segmentSize && size > headerSize;
    }

    private long headerSize;

    private final java.security.MessageDigest md = Chain.sha256();

    /** Seals the line from `line` to `end` of the chunk ({@link Chain#open}) after the last one sealed. */
    void seal(Chunk c, int line, int end) {
        hash = Chain.seal(c.array(), line, end, hash, md);
        size += end - line;
    }

    /**
     * The page cache's share of a segment: the last this many bytes written stay cached, the
     * ones before are given back ({@link PageCache}), each range twice: the first call starts the
     * writeback of pages still dirty, the next one, this many bytes later, drops them.
     */
    static final long CACHED = 4L << 20;

    /** Writes bytes `from` to `to` of the chunk, sealed lines, then fsyncs in audit mode (`durable`). */
    void flush(Chunk c, int from, int to) throws IOException {
        if (to > from) {
            if (durable && flushedSize + (to - from) > allocated) extend(flushedSize + (to - from));
            c.writeTo(channel, from, to);
            if (durable) channel.force(false);
        }
        flushedHash = hash;
        flushedSize = size;
        bytes += to - from;
        if (flushedSize - dropped >= 2 * CACHED) {
            PageCache.drop(file, Math.max(0, dropped - CACHED), flushedSize - CACHED);
            dropped = flushedSize - CACHED;
        }
    }

    /**
     * Writes zeros from the end of the file to past `end` (to a multiple of 4 KB, see
     * {@link #EXTEND}), not fsynced: the next fdatasync flushes them and the file's new size once.
     */
    private void extend(long end) throws IOException {
        long to = ((end + Math.clamp(allocated, FIRST_EXTEND, EXTEND)) | 4095) + 1;
        long at = allocated;
        while (at < to) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(z.capacity(), to - at));
            at += channel.write(z, at);
        }
        allocated = to;
    }

    /** Forgets the lines sealed since the last flush, and cuts off any of them that reached the file (and any zeros ahead). */
    void undo() {
        hash = flushedHash;
        size = flushedSize;
        allocated = flushedSize;
        try {
            if (channel != null && channel.size() > flushedSize) channel.truncate(flushedSize);
        } catch (IOException ignored) {
            // the file is unusable; the next write fails too and is undone the same way
        }
    }

    /** Ends the segment (fsynced) and begins the next, whose first line links it to the last. */
    void rotate() throws IOException {
        Path next = dir.resolve(fileName(instance, number + 1));
        // The folder may have been moved away since (`mv journal journal.old`, then SIGUSR1): the
        // new segment goes where the configuration says, not on into the moved folder.
        Files.createDirectories(dir);
        FileChannel c = opener.create(next);
        String startHash = hash;
        try {
            String header = "{\"segment\":{\"instance\":\"" + instance + "\",\"number\":" + (number + 1) + ",\"began\":\""
                    + Instant.now() + "\"}}";
            byte[] record = header.getBytes(StandardCharsets.UTF_8);
            String h = Chain.hash(startHash, record);
            byte[] line = Chain.line(startHash, h, record);
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) c.write(b);
            c.force(true);
            if (channel != null) {
                if (durable) channel.truncate(flushedSize); // the zeros ahead of the last line
                channel.force(false);
                channel.close();
                PageCache.drop(file, Math.max(0, dropped - CACHED), flushedSize); // all of it is on disk now
            }
            channel = c;
            file = next;
            dropped = 0;
            number++;
            hash = flushedHash = h;
            size = flushedSize = headerSize = allocated = line.length;
            bytes += line.length;
        } catch (IOException | RuntimeException e) {
            c.close();
            Files.deleteIfExists(next);
            throw e;
        }
        onDisk.addLast(next);
        while (keep > 0 && onDisk.size() > keep) Files.deleteIfExists(onDisk.removeFirst());
    }

    long bytes() { return bytes; }

    /** The segment being written, or null once closed. */
    Path file() { return channel == null ? null : file; }

    /** The hash of the segment's last line flushed: the chain's end on disk. */
    String flushedHash() { return flushedHash; }

    @Override public void close() throws IOException {
        if (channel == null) return;
        if (durable) channel.truncate(flushedSize);
        channel.force(false);
        channel.close();
        channel = null;
        PageCache.drop(file, Math.max(0, dropped - CACHED), flushedSize);
    }
}

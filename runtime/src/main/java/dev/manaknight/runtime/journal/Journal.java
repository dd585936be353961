package dev.manaknight.runtime.journal;

import dev.manaknight.runtime.LogThrottle;
import dev.manaknight.runtime.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;

/**
 * The request journal of one instance: records are handed over by request threads, encoded,
 * chained and written by one writer thread into this instance's segments (journal.md). By default
 * a record that finds the queue full is dropped, counted, and logged; in audit mode
 * (`durable`) {@link #append} answers a future that completes once the record is fsynced, several
 * records sharing one fsync (group commit), or fails when it cannot be written.
 */
public final class Journal implements AutoCloseable {
    /** Records one write and one fsync take at most. */
    static final int MAX_BATCH = 256;
    /** How long an audit-mode request waits for room in a full queue before its 503. */
    static final Duration DURABLE_QUEUE_WAIT = Duration.ofSeconds(5);
    /**
     * How long an audit-mode request waits for its record to be on disk once queued, before its
     * 503: a disk that hangs (or a writer that died) must not hold requests without end. A record
     * written after its request was answered so says the reply it would have had, not the 503.
     */
    static final Duration DURABLE_WRITE_WAIT = Duration.ofSeconds(10);
    /**
     * How often audit mode looks for records past {@link #DURABLE_WRITE_WAIT}: one thread looks
     * for all of them, instead of a timer scheduled and cancelled per record (`orTimeout`, whose
     * scheduler thread cost 5.8 µs of CPU and a context switch per request, bench/RESULTS.md §23).
     */
    static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Default mode: how long the writer lets records gather after the first of a batch. Waiting
     * in `take()` it was woken once per record (a futex wake on a request thread, one on the
     * writer's) whenever it kept up, which on /users was most of the time; lingering makes that
     * one wake per batch. Records reach the disk up to this much later. Audit mode does not
     * linger: its requests wait for the fsync, and records gather while one runs.
     */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Object STOP = new Object();

    /** A record encoded already ({@link #encode}): audit mode's record of a change, or one recovered from the database. */
    private record Line(String id, byte[] json) {}
    /** 36^10: how many instance names there are. */
    static final long INSTANCES = 3_656_158_440_062_976L;

    /**
     * A line to write: a {@link JournalRecord} or a {@link Line}; `durable` null in the
     * default mode; `deadline` ({@link System#nanoTime}) when audit mode gives up waiting for it.
     */
    private record Pending(Object entry, CompletableFuture<Void> durable, long deadline) {
        Pending(Object entry) { this(entry, null, 0); }

        String id() { return entry instanceof JournalRecord r ? r.id() : ((Line) entry).id(); }

        long dropped() { return entry instanceof JournalRecord r ? r.dropped() : 0; }
    }

    private final Config.Journal config;
    private final String instance;
    private final Logger log;
    private final BlockingQueue<Object> queue;
    private final Segments segments;
    private final Scrub scrub;
    private final Thread writer;
    /** Audit mode: fails the requests whose records are not on disk within {@link #writeWait}; else null. */
    private final Thread sweeper;
    private final Duration writeWait;
    /** The batch the writer has in hand (taken from the queue, not yet on disk), for the sweeper; else null. */
    private volatile Pending[] inHand;
    /** The writer thread's buffer of lines. */
    private final Chunk chunk = new Chunk();
    /** The writer thread's texts repeated from record to record. */
    private final RecordTexts texts = new RecordTexts();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Dropped since the last record queued: the next one queued says so. */
    private final AtomicLong droppedSince = new AtomicLong();
    private final LogThrottle failureLog = new LogThrottle(Duration.ofSeconds(10));
    private volatile boolean reopen;
    /** The last write failed, and none has succeeded since (a full disk): audit mode refuses changes meanwhile. */
    private volatile boolean failing;
    private volatile boolean closed;

    private Journal(Config.Journal config, String instance, Segments segments, Scrub scrub, Duration writeWait, Logger log) {
        this.config = config;
        this.writeWait = writeWait;
        this.scrub = scrub;
        this.instance = instance;
        this.segments = segments;
        this.log = log;
        this.queue = new ArrayBlockingQueue<>(config.queue());
        this.writer = Thread.ofPlatform().daemon().name("manaknight-journal").start(this::run);
        this.sweeper = config.durable() ? Thread.ofPlatform().daemon().name("manaknight-journal-sweeper").start(this::sweep) : null;
    }

    /**
     * Opens a new file set for a new instance in `config.path()` (created when missing).
     *
     * @param secrets the app's Secret config values by key name: their text is never written (Scrub)
     */
    public static Journal open(Config.Journal config, Map<String, String> secrets, Logger log) throws IOException {
        return open(config, secrets, SegmentFiles.DISK, log);
    }

    /** {@link #open(Config.Journal, Map, Logger)} with segment files made by `files` (tests: a slow disk). */
    public static Journal open(Config.Journal config, Map<String, String> secrets, SegmentFiles files, Logger log)
            throws IOException {
        return open(config, newInstance(), files, secrets, log);
    }

    static Journal open(Config.Journal config, String instance, SegmentFiles opener, Logger log) throws IOException {
        return open(config, instance, opener, Map.of(), DURABLE_WRITE_WAIT, log);
    }

    /** Tests: audit mode giving up on a record after `writeWait` instead of {@link #DURABLE_WRITE_WAIT}. */
    static Journal open(Config.Journal config, String instance, SegmentFiles opener, Duration writeWait, Logger log)
            throws IOException {
        return open(config, instance, opener, Map.of(), writeWait, log);
    }

    private static Journal open(Config.Journal config, String instance, SegmentFiles opener, Map<String, String> secrets,
                                Logger log) throws IOException {
        return open(config, instance, opener, secrets, DURABLE_WRITE_WAIT, log);
    }

    private static Journal open(Config.Journal config, String instance, SegmentFiles opener, Map<String, String> secrets,
                                Duration writeWait, Logger log) throws IOException {
        Segments segments;
        try {
            segments = Segments.create(config.path(), instance, config.segmentSize(), config.keep(), opener, config.durable());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IOException("journal.path " + config.path() + ": " + e.getFile() + " is a file, not a folder", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("journal.path " + config.path() + ": permission denied (" + e.getFile() + ")", e);
        } catch (IOException e) {
            throw new IOException("journal.path " + config.path() + ": its folder or first segment cannot be made: " + e, e);
        }
        return new Journal(config, instance, segments, new Scrub(secrets, config.redact(), config.key()), writeWait, log);
    }

    /** Ten base-36 characters from the CSPRNG: instances that share a folder never share a name. */
    static String newInstance() {
        String s = Long.toString(new SecureRandom().nextLong(INSTANCES), 36);
        return "0".repeat(10 - s.length()) + s;
    }

    /** This instance's name: its segments' prefix and its request ids'. */
    public String instance() { return instance; }

    public boolean durable() { return config.durable(); }

    /**
     * Hands a record to the writer. Default mode: never blocks, answers null; a full queue drops
     * the record (counted). Audit mode: the future completes when the record is on disk and
     * fails when it cannot be put there (or the queue stayed full {@link #DURABLE_QUEUE_WAIT}, or
     * the write took longer than {@link #DURABLE_WRITE_WAIT}).
     */
    public CompletableFuture<Void> append(JournalRecord r) {
        if (!config.durable()) {
            long before = droppedSince.getAndSet(0); // the first record queued after a drop says how many
            if (closed || !queue.offer(new Pending(before > 0 ? r.withDropped(before) : r))) {
                droppedSince.addAndGet(before);
                drop(1);
            }
            return null;
        }
        return durably(r);
    }

    /**
     * A record's line as the writer would write it (secrets kept out, headers redacted or sealed),
     * made on the caller's thread: audit mode puts it into a change's transaction ({@link #append(String, byte[])}).
     */
    public byte[] encode(JournalRecord r) {
        var c = new Chunk();
        RecordCodec.encode(r, scrub, new RecordTexts(), c);
        return java.util.Arrays.copyOf(c.array(), c.size());
    }

    /**
     * Audit mode: hands a record encoded already ({@link #encode}) to the writer, the request `id`'s;
     * the future completes when it is on disk, as {@link #append(JournalRecord)}'s does, and fails
     * for a line that is not one line of JSON.
     */
    public CompletableFuture<Void> append(String id, byte[] json) {
        if (!config.durable()) throw new IllegalStateException("records encoded ahead are written in audit mode only");
        return durably(new Line(id, json));
    }

    /** True while the writer's last write failed (a full disk): audit mode refuses changes then. */
    public boolean failing() { return failing; }

    private CompletableFuture<Void> durably(Object entry) {
        var done = new CompletableFuture<Void>();
        try {
            var p = new Pending(entry, done, System.nanoTime() + writeWait.toNanos());
            if (closed || !queue.offer(p, DURABLE_QUEUE_WAIT.toMillis(), TimeUnit.MILLISECONDS))
                done.completeExceptionally(new IOException("journal: the writer is behind; the record was not written"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        }
        return done;
    }

    /**
     * Audit mode's sweeper: every {@link #SWEEP_NANOS} fails the futures of records that are not
     * on disk by their deadline (a hung disk, a stuck writer), those in the writer's hand first and
     * then the queue's from its head, which holds the oldest. A record written later still
     * completes nothing: its request was answered 503 already.
     */
    private void sweep() {
        while (!closed || writer.isAlive()) {
            LockSupport.parkNanos(SWEEP_NANOS);
            long now = System.nanoTime();
            Pending[] held = inHand;
            if (held != null) for (Pending p : held) expire(p, now);
            // peek first: an iterator over the queue would burden every take while it is registered
            if (queue.peek() instanceof Pending head && expire(head, now)) {
                for (Object o : queue) {
                    if (!(o instanceof Pending p) || !expire(p, now)) break;
                }
            }
        }
    }

    /** Fails `p`'s future when it is past its deadline; answers whether it was. */
    private boolean expire(Pending p, long now) {
        if (now - p.deadline() < 0) return false;
        if (!p.durable().isDone()) p.durable().completeExceptionally(new TimeoutException("journal: the record was not on "
                + "disk within " + writeWait.toMillis() + " ms (the disk or the writer is stuck)"));
        return true;
    }

    private void drop(long n) {
        dropped.addAndGet(n);
        droppedSince.addAndGet(n);
    }

    /** A queued record that could not be written: dropped, and the drops it was to tell of go to the next one. */
    private void drop(Pending p) {
        dropped.incrementAndGet();
        droppedSince.addAndGet(1 + p.dropped());
    }

    /** Records written so far. */
    public long written() { return written.get(); }

    /** Records dropped so far (queue full, or a write failed in default mode). */
    public long dropped() { return dropped.get(); }

    /** Bytes written so far, over all segments. */
    public long bytes() { return segments.bytes(); }

    /** Starts a new segment at the next write (SIGUSR1, as the logs are reopened). */
    public void reopen() { reopen = true; }

    private void run() {
        var batch = new ArrayList<Pending>(MAX_BATCH);
        var items = new ArrayList<Object>(MAX_BATCH);
        boolean stopping = false;
        while (!stopping) {
            try {
                items.clear();
                items.add(queue.take());
                if (!config.durable()) LockSupport.parkNanos(LINGER_NANOS);
                queue.drainTo(items, MAX_BATCH - 1);
                for (Object o : items) {
                    if (o == STOP) stopping = true;
                    else batch.add((Pending) o);
                }
            } catch (InterruptedException e) {
                stopping = true;
            }
            if (!batch.isEmpty()) {
                if (sweeper != null) inHand = batch.toArray(Pending[]::new);
                write(batch);
                inHand = null;
            }
            batch.clear();
        }
        try {
            Path ended = segments.file();
            String end = segments.flushedHash();
            segments.close();
            if (ended != null) ended(ended, end);
        } catch (IOException e) {
            log.warn("journal: closing {}: {}", config.path(), e.toString());
        }
    }

    /**
     * Writes a batch as one chunk (one write, one fsync in audit mode), or two when the segment
     * fills; on failure nothing of the unwritten chunk stays, and its records fail (audit mode) or
     * are counted as dropped. Each record is encoded straight into its line in the {@link Chunk}.
     */
    private void write(List<Pending> all) {
        var batch = new ArrayList<Pending>(all.size());
        int[] lines = new int[all.size() + 1]; // where each encoded record's line begins; the last one's end
        chunk.cut(0);
        for (Pending p : all) { // a record that cannot be encoded is lost alone, never its batch
            int line = Chain.open(chunk);
            try {
                if (p.entry() instanceof JournalRecord r) RecordCodec.encode(r, scrub, texts, chunk);
                else line((Line) p.entry());
                Chain.close(chunk);
                lines[batch.size()] = line;
                batch.add(p);
            } catch (RuntimeException e) {
                chunk.cut(line);
                if (failureLog.due()) log.error("journal: the record of request {} cannot be encoded: {}", p.id(), e.toString());
                if (p.durable() != null) p.durable().completeExceptionally(e);
                else drop(p);
            }
        }
        lines[batch.size()] = chunk.size();
        int done = 0; // records of the batch written (and in audit mode fsynced)
        int from = 0; // the chunk's first byte not written yet
        try {
            if (reopen) {
                reopen = false;
                rotate();
            }
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                if (p.dropped() > 0) log.warn("journal: {} record(s) dropped before request {} (queue full or a "
                        + "write failed)", p.dropped(), p.id());
                if (segments.full(lines[i + 1] - lines[i] - Chain.RECORD_AT - 2)) { // the segment is full: what it has goes first
                    segments.flush(chunk, from, lines[i]);
                    done = complete(batch, done, i);
                    from = lines[i];
                    rotate();
                }
                segments.seal(chunk, lines[i], lines[i + 1]);
            }
            segments.flush(chunk, from, chunk.size());
            failing = false;
            complete(batch, done, batch.size());
        } catch (IOException | RuntimeException e) {
            failing = true;
            segments.undo();
            if (failureLog.due()) log.error("journal: cannot write to {}: {}", config.path(), e.toString());
            for (Pending p : batch.subList(done, batch.size())) {
                if (p.durable() != null) p.durable().completeExceptionally(e);
                else drop(p);
            }
        }
        chunk.cut(0);
        chunk.trim();
    }

    /** A line encoded ahead, into the chunk: one JSON object on one line, or nothing and an IllegalArgumentException. */
    private void line(Line l) {
        byte[] b = l.json();
        if (b.length < 2 || b[0] != '{' || b[b.length - 1] != '}')
            throw new IllegalArgumentException("the record of request " + l.id() + " is not a JSON object");
        for (byte x : b)
            if (x == '\n' || x == '\r') throw new IllegalArgumentException("the record of request " + l.id() + " spans lines");
        chunk.write(b, 0, b.length);
    }

    /** Ends the segment and begins the next (SIGUSR1, or the segment is full). */
    private void rotate() throws IOException {
        Path ended = segments.file();
        String end = segments.flushedHash();
        segments.rotate();
        if (ended != null) ended(ended, end);
    }

    /**
     * Says where a segment's chain ended, in the server's log: a copy of it kept apart from the
     * journal is what shows that no one rewrote the journal and recomputed its hashes since
     * (`journal verify` prints where each chain ends).
     */
    private void ended(Path segment, String end) {
        log.info("journal: {} ended; its chain ends in {}", segment.getFileName(), end);
    }

    /** Lines `from` to `to` of the batch are on disk: their records counted, their requests answered. */
    private int complete(List<Pending> batch, int from, int to) {
        for (Pending p : batch.subList(from, to)) {
            written.incrementAndGet();
            if (p.durable() != null) p.durable().complete(null);
        }
        return to;
    }

    /** Writes what is queued, fsyncs and closes the segment; later records are dropped. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        try {
            queue.put(STOP);
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The folder the segments are in. */
    public Path path() { return config.path(); }
}

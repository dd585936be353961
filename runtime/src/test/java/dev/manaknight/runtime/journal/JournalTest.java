package dev.manaknight.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.EffectCall;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.helpers.NOPLogger;

/**
 * Issue 18: the journal's files — records chained across segments, segments rotated at their size
 * cap, old ones deleted past `keep`, `verify` naming the first broken record, records dropped and
 * counted when the writer is behind, and audit mode answering only once a record is on disk.
 */
@org.junit.jupiter.api.Timeout(60)
class JournalTest {
    static final String INSTANCE = "0000000abc";
    @TempDir Path dir;

    static JournalRecord record(String id) {
        var calls = List.of(new EffectCall("db.findUser", List.<Object>of(7L), new Values.Some(new Values.RecordValue(0, "User",
                        new String[] {"id", "balance"}, new Object[] {7L, new BigDecimal("10.50")})), null),
                new EffectCall("db.debit", List.<Object>of(7L, new BigDecimal("1.00")), null, "db: constraint failed"));
        return new JournalRecord(id, Instant.parse("2026-12-03T12:00:00Z"), "p".repeat(64), "c".repeat(64),
                new Request("POST", "/users/7", "x=1", List.of(new Header("Content-Type", "application/json")),
                        "{\"amount\":\"1.00\"}".getBytes(StandardCharsets.UTF_8), "10.0.0.1"),
                "POST /users/:id", List.of(new Attempt(calls, false, false)),
                new Reply(500, List.of(new Header("X-Request-Id", id)), new byte[] {(byte) 0xff, 0, 1}), 120, 4096, 800,
                "effect-failed: db: constraint failed", null, 0);
    }

    private Journal open(long segmentSize, int keep, boolean durable, int queue, SegmentFiles opener) throws IOException {
        return Journal.open(new Config.Journal(dir, durable, segmentSize, keep, queue), INSTANCE, opener, NOPLogger.NOP_LOGGER);
    }

    static long lineSize(String id) { return Chain.RECORD_AT + RecordCodec.encode(record(id)).length + 2; }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private List<JournalRecord> readAll() throws IOException {
        var out = new ArrayList<JournalRecord>();
        for (var segs : JournalFiles.segments(dir).values()) JournalFiles.records(segs, (s, n, r) -> out.add(r));
        return out;
    }

    /** An instance's name is always ten base-36 characters (a name of eleven once failed a start, one time in five). */
    @Test void instanceNamesAreTenCharacters() {
        for (int i = 0; i < 10_000; i++) assertTrue(Segments.NAME.matcher(Journal.newInstance() + "-000001.jsonl").matches());
        assertEquals(Journal.INSTANCES, (long) Math.pow(36, 10));
    }

    @Test void aRecordComesBackAsWritten() throws IOException {
        try (Journal j = open(1 << 20, 0, false, 16, SegmentFiles.DISK)) {
            j.append(record("r-01"));
        }
        List<JournalRecord> back = readAll();
        assertEquals(1, back.size());
        JournalRecord r = back.getFirst(), w = record("r-01");
        assertEquals(w.id(), r.id());
        assertEquals(w.time(), r.time());
        assertEquals(w.target(), r.target());
        assertArrayEquals(w.request().body(), r.request().body());
        assertEquals(w.request().headers(), r.request().headers());
        assertEquals(w.response().status(), r.response().status());
        assertArrayEquals(w.response().body(), r.response().body()); // not UTF-8: base64
        assertEquals(w.attempts().getFirst().calls().toString(), r.attempts().getFirst().calls().toString());
        assertEquals(new BigDecimal("1.00"), r.attempts().getFirst().calls().get(1).args().get(1));
        assertEquals(2, ((BigDecimal) r.attempts().getFirst().calls().get(1).args().get(1)).scale());
        assertEquals(w.failure(), r.failure());
        assertEquals(List.of(INSTANCE + "-000001.jsonl"), files().stream().map(p -> p.getFileName().toString()).toList());
    }

    /** A segment of exactly header + 3 records holds 3; one byte less, 2: the size cap at and past its limit. */
    @Test void aSegmentRotatesAtItsSizeCap() throws IOException {
        long header = headerSize();
        long line = lineSize("r-01");
        for (long extra : new long[] {0, -1}) {
            for (Path p : files()) Files.delete(p);
            try (Journal j = open(header + 3 * line + extra, 0, false, 16, SegmentFiles.DISK)) {
                for (int i = 1; i <= 6; i++) j.append(record("r-0" + i));
            }
            List<Path> segs = files();
            int perSegment = extra == 0 ? 3 : 2;
            assertEquals(6 / perSegment, segs.size(), "segment_size " + (header + 3 * line + extra) + ": " + segs);
            for (Path p : segs) {
                assertTrue(Files.size(p) <= header + 3 * line + extra, p + ": " + Files.size(p));
                assertEquals(1 + perSegment, Files.readAllLines(p).size());
            }
            assertEquals(6, readAll().size());
            var results = JournalVerifier.verify(dir);
            assertEquals(1, results.size());
            assertNull(results.getFirst().broken(), String.valueOf(results.getFirst().broken()));
            assertEquals(6, results.getFirst().records());
        }
    }

    private long headerSize() throws IOException {
        try (Journal j = open(1 << 20, 0, false, 16, SegmentFiles.DISK)) {
            assertNotNull(j);
        }
        long size = Files.size(files().getFirst());
        for (Path p : files()) Files.delete(p);
        return size;
    }

    @Test void aRecordLargerThanASegmentGetsOneAlone() throws IOException {
        long header = headerSize();
        try (Journal j = open(header + 10, 0, false, 16, SegmentFiles.DISK)) {
            for (int i = 1; i <= 3; i++) j.append(record("r-0" + i));
        }
        assertEquals(3, files().size());
        assertNull(JournalVerifier.verify(dir).getFirst().broken());
    }

    @Test void keepDeletesTheOldestSegmentsAndVerifyStartsAtTheFirstLeft() throws IOException {
        long header = headerSize();
        try (Journal j = open(header + lineSize("r-01"), 2, false, 16, SegmentFiles.DISK)) {
            for (int i = 1; i <= 5; i++) j.append(record("r-0" + i));
        }
        List<Path> segs = files();
        assertEquals(List.of(INSTANCE + "-000004.jsonl", INSTANCE + "-000005.jsonl"),
                segs.stream().map(p -> p.getFileName().toString()).toList());
        var result = JournalVerifier.verify(dir).getFirst();
        assertNull(result.broken());
        assertEquals(2, result.records());
        assertTrue(!result.fromStart());
    }

    /** One byte flipped anywhere in a record's line — its content, its hash, its prev — and verify names that record. */
    @Test void verifyNamesTheFirstBrokenRecord() throws IOException {
        try (Journal j = open(1 << 20, 0, false, 16, SegmentFiles.DISK)) {
            for (int i = 1; i <= 5; i++) j.append(record("r-0" + i));
        }
        Path seg = files().getFirst();
        byte[] clean = Files.readAllBytes(seg);
        List<Integer> starts = lineStarts(clean);
        assertNull(JournalVerifier.verify(dir).getFirst().broken());
        for (int rec = 1; rec <= 5; rec++) {
            int start = starts.get(rec); // line 0 is the segment's header
            for (int offset : new int[] {10, Chain.RECORD_AT - 30, Chain.RECORD_AT + 60}) {
                byte[] bad = clean.clone();
                bad[start + offset] ^= 0x01;
                Files.write(seg, bad);
                var broken = JournalVerifier.verify(dir).getFirst().broken();
                assertNotNull(broken, "record " + rec + " byte " + offset);
                assertEquals(rec + 1, broken.line(), broken.toString());
            }
        }
        // a record removed: the one after it no longer follows
        byte[] removed = new byte[clean.length - (starts.get(3) - starts.get(2))];
        System.arraycopy(clean, 0, removed, 0, starts.get(2));
        System.arraycopy(clean, starts.get(3), removed, starts.get(2), clean.length - starts.get(3));
        Files.write(seg, removed);
        var broken = JournalVerifier.verify(dir).getFirst().broken();
        assertEquals("r-03", broken.id(), broken.toString());
        assertTrue(broken.why().contains("does not follow"), broken.why());
    }

    /**
     * Audit mode writes its lines into zeros written ahead: while it runs (or after a crash) the
     * segment ends in zeros, which readers take for its end; an ended or closed segment has none.
     */
    @Test void auditModeWritesIntoZerosAheadAndCutsThemOffWhenASegmentEnds() throws Exception {
        long header = headerSize();
        Path crashed = Files.createDirectories(dir.resolve("crashed"));
        try (Journal j = open(header + 3 * lineSize("r-01"), 0, true, 16, SegmentFiles.DISK)) {
            for (int i = 1; i <= 4; i++) j.append(record("r-0" + i)).get(10, TimeUnit.SECONDS);
            List<Path> segs = segments();
            assertEquals(2, segs.size());
            assertEquals(header + 3 * lineSize("r-01"), Files.size(segs.get(0)), "the ended segment's zeros are cut off");
            Path open = segs.get(1);
            long written = header + lineSize("r-04");
            assertEquals(((written + Segments.FIRST_EXTEND) | 4095) + 1, Files.size(open), "a new segment's first zeros");
            byte[] bytes = Files.readAllBytes(open);
            assertEquals(0, bytes[bytes.length - 1]);
            for (Path p : segs) Files.copy(p, crashed.resolve(p.getFileName())); // what a crash would leave
        }
        var result = JournalVerifier.verify(crashed).getFirst();
        assertNull(result.broken(), String.valueOf(result.broken()));
        assertEquals(4, result.records());
        var back = new ArrayList<String>();
        for (var segs : JournalFiles.segments(crashed).values()) JournalFiles.records(segs, (s, n, r) -> back.add(r.id()));
        assertEquals(List.of("r-01", "r-02", "r-03", "r-04"), back);
        Path last = segments().get(1);
        byte[] closed = Files.readAllBytes(last);
        assertEquals('\n', closed[closed.length - 1], "a closed segment ends with its last line");
        assertEquals(header + lineSize("r-04"), closed.length);
    }

    /** The zeros ahead grow with the segment, to at most {@link Segments#EXTEND} past its last line. */
    @Test void auditModesZerosAheadGrowToAMegabyte() throws Exception {
        try (Journal j = open(1L << 30, 0, true, 4096, SegmentFiles.DISK)) {
            long before = 0;
            for (int round = 0; round < 6; round++) {
                var done = new ArrayList<CompletableFuture<Void>>();
                for (int i = 0; i < 500; i++) done.add(j.append(record("r-" + round + "-" + i)));
                for (var f : done) f.get(10, TimeUnit.SECONDS);
                long ahead = Files.size(segments().getFirst()) - j.bytes();
                assertTrue(ahead > 0 && ahead <= Segments.EXTEND + 4096, ahead + " bytes of zeros ahead after " + j.bytes());
                assertTrue(Files.size(segments().getFirst()) >= before);
                before = Files.size(segments().getFirst());
            }
            assertTrue(j.bytes() > 2 * Segments.EXTEND, "wrote " + j.bytes());
        }
        assertEquals(Files.size(segments().getFirst()), Files.readAllBytes(segments().getFirst()).length);
        assertNull(JournalVerifier.verify(dir).getFirst().broken());
    }

    /** Zeros to a file's end are its end, a line they interrupt is cut short, and zeros inside a line are bytes of it. */
    @Test void zerosEndASegmentOnlyWhenNothingFollowsThem() throws Exception {
        try (Journal j = open(1 << 20, 0, false, 16, SegmentFiles.DISK)) {
            for (int i = 1; i <= 3; i++) j.append(record("r-0" + i));
        }
        Path seg = files().getFirst();
        byte[] clean = Files.readAllBytes(seg);
        byte[] lastLine = java.util.Arrays.copyOfRange(clean, lineStarts(clean).get(3), clean.length);

        Files.write(seg, concat(clean, new byte[5000]));
        var result = JournalVerifier.verify(dir).getFirst();
        assertNull(result.broken(), String.valueOf(result.broken()));
        assertEquals(3, result.records());

        Files.write(seg, concat(clean, java.util.Arrays.copyOf(lastLine, 100)));
        var cut = JournalVerifier.verify(dir).getFirst().broken();
        assertNotNull(cut);
        Files.write(seg, concat(concat(clean, java.util.Arrays.copyOf(lastLine, 100)), new byte[5000]));
        var cutThenZeros = JournalVerifier.verify(dir).getFirst().broken();
        assertNotNull(cutThenZeros, "a line the zeros interrupt is cut short");
        assertEquals(cut.toString(), cutThenZeros.toString());

        Files.write(seg, concat(concat(clean, new byte[10]), lastLine));
        var zerosThenData = JournalVerifier.verify(dir).getFirst().broken();
        assertNotNull(zerosThenData, "zeros with a line after them are no end");
        assertEquals(5, zerosThenData.line(), zerosThenData.toString());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private List<Path> segments() throws IOException {
        return files().stream().filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList();
    }

    static List<Integer> lineStarts(byte[] bytes) {
        var starts = new ArrayList<Integer>(List.of(0));
        for (int i = 0; i < bytes.length - 1; i++) if (bytes[i] == '\n') starts.add(i + 1);
        return starts;
    }

    @Test void aMissingSegmentBreaksTheChain() throws IOException {
        long header = headerSize();
        try (Journal j = open(header + lineSize("r-01"), 0, false, 16, SegmentFiles.DISK)) {
            for (int i = 1; i <= 3; i++) j.append(record("r-0" + i));
        }
        Files.delete(dir.resolve(INSTANCE + "-000002.jsonl"));
        var broken = JournalVerifier.verify(dir).getFirst().broken();
        assertNotNull(broken);
        assertTrue(broken.file().endsWith(INSTANCE + "-000003.jsonl") && broken.line() == 1, broken.toString());
    }

    /**
     * The journal folder moved away while the server runs (`mv journal journal.old`, then SIGUSR1):
     * the rotation makes the folder again and the next records go there, not into the moved one.
     */
    @Test void aRotationRecreatesAMovedFolder() throws Exception {
        Path journal = dir.resolve("journal");
        Path moved = dir.resolve("journal.old");
        try (Journal j = Journal.open(new Config.Journal(journal, true, 1 << 20, 0, 16), INSTANCE, SegmentFiles.DISK,
                NOPLogger.NOP_LOGGER)) {
            j.append(record("r-01")).get(10, TimeUnit.SECONDS);
            Files.move(journal, moved);
            j.reopen();
            j.append(record("r-02")).get(10, TimeUnit.SECONDS);
            assertEquals(0, j.dropped());
        }
        assertEquals(List.of(INSTANCE + "-000002.jsonl"), names(journal));
        assertEquals(List.of(INSTANCE + "-000001.jsonl"), names(moved));
        var back = new ArrayList<String>();
        for (var segs : JournalFiles.segments(journal).values()) JournalFiles.records(segs, (s, n, r) -> back.add(r.id()));
        assertEquals(List.of("r-02"), back);
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The writer held in a rotation: records past the queue's size are dropped, counted, and the next record says so. */
    @Test void aFullQueueDropsAndCounts() throws Exception {
        var holding = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        SegmentFiles slow = file -> {
            if (!file.getFileName().toString().endsWith("000001.jsonl")) {
                holding.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            return SegmentFiles.DISK.create(file);
        };
        try (Journal j = open(1 << 20, 0, false, 4, slow)) {
            j.reopen();
            j.append(record("r-00"));
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            for (int i = 1; i <= 4; i++) j.append(record("r-0" + i));
            assertEquals(0, j.dropped(), "at the queue's size");
            for (int i = 5; i <= 6; i++) j.append(record("r-0" + i));
            assertEquals(2, j.dropped(), "past it");
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (j.written() < 5 && System.nanoTime() < deadline) Thread.onSpinWait();
            j.append(record("r-08"));
        }
        List<JournalRecord> back = readAll();
        assertEquals(List.of("r-00", "r-01", "r-02", "r-03", "r-04", "r-08"), back.stream().map(JournalRecord::id).toList());
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 2L), back.stream().map(JournalRecord::dropped).toList());
        assertNull(JournalVerifier.verify(dir).getFirst().broken());
    }

    /** A record holding a value of no VM kind is lost alone: the records queued with it are written. */
    @Test void aRecordThatCannotBeEncodedIsDroppedAlone() throws Exception {
        JournalRecord good = record("r-01");
        var bad = new JournalRecord("r-02", good.time(), good.program(), good.config(), good.request(), good.route(),
                List.of(new Attempt(List.of(new EffectCall("x.y", List.of(new Object()), Values.Unit.UNIT, null)), false, false)),
                good.response(), 0, 0, 0, null, null, 0);
        try (Journal j = open(1 << 20, 0, true, 16, SegmentFiles.DISK)) {
            CompletableFuture<Void> a = j.append(good), b = j.append(bad), c = j.append(record("r-03"));
            a.get(10, TimeUnit.SECONDS);
            c.get(10, TimeUnit.SECONDS);
            assertInstanceOf(IllegalArgumentException.class, assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> b.get(10, TimeUnit.SECONDS)).getCause());
            assertEquals(2, j.written());
        }
        assertEquals(List.of("r-01", "r-03"), readAll().stream().map(JournalRecord::id).toList());
    }

    @Test void auditModeAnswersOnceTheRecordIsOnDisk() throws Exception {
        try (Journal j = open(1 << 20, 0, true, 16, SegmentFiles.DISK)) {
            CompletableFuture<Void> done = j.append(record("r-01"));
            done.get(10, TimeUnit.SECONDS);
            assertEquals(1, j.written());
            assertTrue(new String(Files.readAllBytes(files().getFirst()), StandardCharsets.UTF_8).contains("\"id\":\"r-01\""));
        }
    }

    /**
     * Issue 18, audit mode: no record, encoded here or ahead, is answered before its fsync is over,
     * and what queues while the writer is in an fsync is covered by one more (group commit).
     */
    @Test void auditModeAnswersNothingBeforeItsFsyncAndOneFsyncCoversWhatQueued() throws Exception {
        var gated = new ArrayList<GatedChannel>();
        SegmentFiles opener = file -> {
            var c = new GatedChannel(SegmentFiles.DISK.create(file));
            c.permits.release(); // the segment's header is fsynced as it begins
            gated.add(c);
            return c;
        };
        Journal j = open(1 << 20, 0, true, 16, opener);
        try {
            GatedChannel segment = gated.getFirst();
            assertEquals(1, segment.ended.get());
            // every fsync held from here on
            CompletableFuture<Void> first = j.append(record("r-01"));
            await(() -> segment.begun.get() == 2);
            assertTrue(!first.isDone(), "a read's record answered before its fsync");
            var queued = List.of(j.append(record("r-02")), j.append("r-04", j.encode(record("r-04"))),
                    j.append(record("r-03")));
            segment.permits.release(); // r-01's fsync ends
            first.get(10, TimeUnit.SECONDS);
            await(() -> segment.begun.get() == 3);
            assertTrue(queued.stream().noneMatch(CompletableFuture::isDone), "answered before their fsync");
            segment.permits.release();
            for (var f : queued) f.get(10, TimeUnit.SECONDS);
            assertEquals(3, segment.begun.get(), "one fsync for the three that queued meanwhile");
            assertEquals(4, j.written());
        } finally {
            gated.forEach(c -> c.permits.release(100));
            j.close();
        }
        assertEquals(List.of("r-01", "r-02", "r-04", "r-03"), readAll().stream().map(JournalRecord::id).toList());
        assertNull(JournalVerifier.verify(dir).getFirst().broken());
    }

    /**
     * Audit mode's limit on a record's wait for the disk: one fsynced within it is answered; one
     * held past it fails with a timeout, the record in the writer's hand and the one queued behind
     * it alike (a hung disk answers 503, not never), and the records still reach the file later.
     */
    @Test void auditModeGivesUpOnARecordNotOnDiskWithinItsWait() throws Exception {
        var gated = new ArrayList<GatedChannel>();
        SegmentFiles opener = file -> {
            var c = new GatedChannel(SegmentFiles.DISK.create(file));
            c.permits.release(2); // the segment's header and the first record
            gated.add(c);
            return c;
        };
        Duration wait = Duration.ofMillis(300);
        Journal j = Journal.open(new Config.Journal(dir, true, 1 << 20, 0, 16), INSTANCE, opener, wait, NOPLogger.NOP_LOGGER);
        try {
            j.append(record("r-01")).get(10, TimeUnit.SECONDS); // within the wait
            GatedChannel segment = gated.getFirst();
            long start = System.nanoTime();
            CompletableFuture<Void> held = j.append(record("r-02"));
            await(() -> segment.begun.get() == 3); // in the writer's hand: its fsync holds
            CompletableFuture<Void> queued = j.append(record("r-03"));
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> held.get(10, TimeUnit.SECONDS));
            assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("300 ms"), e.getCause().getMessage());
            long waited = System.nanoTime() - start;
            assertTrue(waited >= wait.toNanos(), "failed before its wait was over");
            assertTrue(waited < wait.toNanos() + TimeUnit.SECONDS.toNanos(5), "failed long after its wait");
            e = assertThrows(java.util.concurrent.ExecutionException.class, () -> queued.get(10, TimeUnit.SECONDS));
            assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
        } finally {
            gated.forEach(c -> c.permits.release(100));
            j.close();
        }
        assertEquals(3, j.written(), "the disk took them in the end");
        assertEquals(List.of("r-01", "r-02", "r-03"), readAll().stream().map(JournalRecord::id).toList());
        assertNull(JournalVerifier.verify(dir).getFirst().broken());
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the condition did not come within 10 s");
            Thread.sleep(1);
        }
    }


    /**
     * Where each segment's chain ends goes to the log, at a rotation and at the stop: the copy kept
     * apart from the journal. The next segment's chain goes on from it, and `verify` ends at the last.
     */
    @Test void eachSegmentsEndIsLoggedAndVerifyEndsThere() throws Exception {
        var log = new dev.manaknight.runtime.LogLines();
        try (Journal j = Journal.open(new Config.Journal(dir, false, 1 << 20, 0, 16), INSTANCE, SegmentFiles.DISK, log)) {
            j.append(record("r-01"));
            await(() -> j.written() == 1);
            j.reopen();
            j.append(record("r-02"));
            await(() -> j.written() == 2);
        }
        var ends = log.lines.stream().filter(l -> l.contains("its chain ends in")).toList();
        assertEquals(2, ends.size(), log.lines.toString());
        assertTrue(ends.get(0).startsWith("journal: " + INSTANCE + "-000001.jsonl ended"), ends.get(0));
        assertTrue(ends.get(1).startsWith("journal: " + INSTANCE + "-000002.jsonl ended"), ends.get(1));
        String first = ends.get(0).substring(ends.get(0).lastIndexOf(' ') + 1);
        String last = ends.get(1).substring(ends.get(1).lastIndexOf(' ') + 1);
        assertTrue(Files.readString(files().get(1)).startsWith("{\"prev\":\"" + first + "\""), "segment 2 goes on from it");
        assertEquals(last, JournalVerifier.verify(dir).getFirst().end());
        assertTrue(Files.readString(files().get(1)).contains("\"hash\":\"" + last + "\""));
    }

    /** A `journal.path` that is a file, or under one, is named as such: not a bare path. */
    @Test void aPathThatIsAFileSaysSo() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        for (Path path : List.of(file, file.resolve("journal"))) {
            var e = assertThrows(IOException.class, () -> Journal.open(new Config.Journal(path, false, 1 << 20, 0, 16), INSTANCE,
                    SegmentFiles.DISK, NOPLogger.NOP_LOGGER));
            assertTrue(e.getMessage().startsWith("journal.path " + path + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("is a file, not a folder") || e.getMessage().contains("cannot be made"),
                    e.getMessage());
        }
    }

    /**
     * Default mode: a record that could not be written carried the count of those dropped before
     * it; that count is not lost with it: the next record written says every drop since the last
     * record written (two here), as the counter does.
     */
    @Test void aFailedRecordPassesOnTheDropsItCarried() throws Exception {
        SegmentFiles fullAfterFirst = file -> file.getFileName().toString().endsWith("000001.jsonl") ? SegmentFiles.DISK.create(file)
                : FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE);
        try (Journal j = open(1 << 20, 0, false, 16, fullAfterFirst)) {
            j.append(record("r-00"));
            await(() -> j.written() == 1);
            for (int i = 1; i <= 2; i++) {
                j.reopen(); // the next write starts a segment on the full disk, and fails
                j.append(record("r-0" + i));
                int dropped = i;
                await(() -> j.dropped() == dropped);
            }
            j.append(record("r-03")); // back on segment 1, which takes writes
        }
        List<JournalRecord> back = readAll();
        assertEquals(List.of("r-00", "r-03"), back.stream().map(JournalRecord::id).toList());
        assertEquals(2, back.getLast().dropped(), "r-02 carried r-01's drop when it was dropped itself");
    }

    /** A full disk (/dev/full: every write fails with ENOSPC): audit mode's future fails, the default mode counts a drop. */
    @Test void aFullDiskFailsAuditModeAndDropsOtherwise() throws Exception {
        SegmentFiles fullAfterFirst = file -> file.getFileName().toString().endsWith("000001.jsonl") ? SegmentFiles.DISK.create(file)
                : FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE);
        for (boolean durable : new boolean[] {true, false}) {
            for (Path p : files()) Files.delete(p);
            try (Journal j = open(1 << 20, 0, durable, 16, fullAfterFirst)) {
                j.reopen(); // the next write starts segment 2 on the full disk
                CompletableFuture<Void> f = j.append(record("r-01"));
                if (durable) {
                    var e = assertThrows(CompletionException.class, f::join);
                    assertInstanceOf(IOException.class, e.getCause());
                    assertEquals(0, j.written());
                    j.append(record("r-02")).join(); // the disk is fine again for segment 1: the chain goes on
                } else {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (j.dropped() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
                    assertEquals(1, j.dropped());
                    j.append(record("r-02"));
                }
            }
            List<JournalRecord> back = readAll();
            assertEquals(List.of("r-02"), back.stream().map(JournalRecord::id).toList());
            assertEquals(durable ? 0 : 1, back.getFirst().dropped());
            assertNull(JournalVerifier.verify(dir).getFirst().broken());
        }
    }
}

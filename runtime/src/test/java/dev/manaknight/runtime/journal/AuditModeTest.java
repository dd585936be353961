package dev.manaknight.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import dev.manaknight.runtime.effects.SingleConnectionDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: through a deployment, every request that ran leaves a record with the request's id;
 * in audit mode a request whose record cannot be written is answered 503 (a failed write: here
 * the next segment's file cannot be created), and once the disk takes writes again the journal
 * goes on with its chain whole; the default mode answers and counts the dropped record.
 */
class AuditModeTest {
    @TempDir Path dir;

    private Deployment open(boolean durable) throws Exception {
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", """
                api GET /hello { respond text("hello") }
                """))));
        Config base = ConfigLoader.parse(dir.resolve("x.toml"), "", null);
        // a segment of one byte: every record after the first starts a new segment
        Config cfg = new Config(base.source(), base.app(), base.server(), base.limits(), base.db(), base.log(), base.http(),
                new Config.Journal(dir.resolve("journal"), durable, 1, 0, 16));
        return Deployment.open(program, cfg, Deployment.Setup.test(null));
    }

    private static Request get(String path) { return Request.of("GET", path, List.of(), new byte[0], "test"); }

    @Test void auditModeAnswers503WhenTheRecordCannotBeWritten() throws Exception {
        var ids = new ArrayList<String>();
        try (Deployment d = open(true)) {
            Reply first = d.handle(get("/hello"));
            assertEquals(200, first.status());
            ids.add(first.header("X-Request-Id"));
            assertTrue(first.header("X-Request-Id").startsWith(d.journal().instance() + "-"));
            Path blocked = dir.resolve("journal").resolve(d.journal().instance() + "-000002.jsonl");
            Files.createDirectory(blocked); // the next segment cannot be created: as a full disk, every write fails
            Reply refused = d.handle(get("/hello"));
            assertEquals(503, refused.status(), refused.text());
            assertTrue(refused.text().contains("journal-unavailable"), refused.text());
            assertNotNull(refused.header("X-Request-Id"));
            assertEquals("1", refused.header("Retry-After"));
            Files.delete(blocked);
            Reply again = d.handle(get("/hello"));
            assertEquals(200, again.status());
            ids.add(again.header("X-Request-Id"));
            assertEquals(2, d.journal().written());
        }
        assertEquals(ids, records());
        assertNull(JournalVerifier.verify(dir.resolve("journal")).getFirst().broken());
    }

    @Test void theDefaultModeAnswersAndCountsTheDroppedRecord() throws Exception {
        try (Deployment d = open(false)) {
            assertEquals(200, d.handle(get("/hello")).status());
            Files.createDirectory(dir.resolve("journal").resolve(d.journal().instance() + "-000002.jsonl"));
            assertEquals(200, d.handle(get("/hello")).status());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (d.journal().dropped() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
            assertEquals(1, d.journal().dropped());
            assertEquals(1, d.journal().written());
        }
        assertEquals(1, records().size());
    }

    /**
     * Audit mode with one worker: a request whose handler is done and whose record waits for the
     * disk gives its worker back, so the next request runs meanwhile and its record can share the
     * fsync (before, every worker sat out an fsync: audit mode's throughput was workers / fsync).
     */
    @Test void aRequestWaitingForItsRecordLetsTheNextOneRun() throws Exception {
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", """
                api GET /hello { respond text("hello") }
                """))));
        var segments = new java.util.concurrent.CopyOnWriteArrayList<GatedChannel>();
        SegmentFiles disk = file -> {
            var c = new GatedChannel(SegmentFiles.DISK.create(file));
            c.permits.release(1_000_000); // fsyncs pass until the test drains the permits
            segments.add(c);
            return c;
        };
        var started = new java.util.concurrent.atomic.AtomicInteger();
        var setup = new Deployment.Setup(Deployment.Setup.test(null).mode(), new dev.manaknight.runtime.Admission(1, 16),
                new dev.manaknight.runtime.RequestObserver() {
                    @Override public void started(dev.manaknight.runtime.InFlight r) { started.incrementAndGet(); }
                }, null, null, System.err, false, null, null, dev.manaknight.runtime.effects.EffectSources.real(), disk);
        try (Deployment d = Deployment.open(program, config(true, 64 << 20), setup)) {
            assertEquals(200, d.handle(get("/hello")).status()); // the segment's first fsyncs pass
            GatedChannel segment = segments.getFirst();
            segment.permits.drainPermits(); // from now on each fsync waits
            try {
                heldFsyncLetsTheNextRequestRun(d, segment, started);
            } finally {
                segment.permits.release(1_000_000); // a failed check must not leave the journal's close waiting
            }
            assertEquals(3, d.journal().written());
        }
        assertNull(JournalVerifier.verify(dir.resolve("journal")).getFirst().broken());
    }

    private static void heldFsyncLetsTheNextRequestRun(Deployment d, GatedChannel segment,
                                                       java.util.concurrent.atomic.AtomicInteger started) throws Exception {
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> d.handle(get("/hello")));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (segment.begun.get() == segment.ended.get() && System.nanoTime() < deadline) Thread.sleep(1);
        assertTrue(segment.begun.get() > segment.ended.get(), "the first request's record reached the disk");
        var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> d.handle(get("/hello")));
        // well within Journal.DURABLE_WRITE_WAIT (10 s), after which the first would be answered 503
        deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (started.get() < 3 && System.nanoTime() < deadline) Thread.sleep(1);
        assertEquals(3, started.get(), "the second request ran while the first one's fsync was held");
        assertTrue(!first.isDone() && !second.isDone(), "neither is answered before its record is durable");
        // A reply waiting for the disk keeps its request in the deployment: a drain waits for it.
        assertEquals(2, d.admission().inFlight(), "both requests are still in flight");
        segment.permits.release(1_000_000);
        assertEquals(200, first.get(10, java.util.concurrent.TimeUnit.SECONDS).status());
        assertEquals(200, second.get(10, java.util.concurrent.TimeUnit.SECONDS).status());
        deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (d.admission().inFlight() > 0 && System.nanoTime() < deadline) Thread.sleep(1);
        assertEquals(0, d.admission().inFlight(), "answered requests leave");
    }

    /**
     * Audit mode with one worker: a committed change's record is durable in the database with it,
     * so the request is answered while the journal's fsync of that record is still held; a read,
     * whose record has only the journal, waits for it. Once the file holds the record its row goes.
     */
    @Test void aCommittedChangeIsAnsweredBeforeItsRecordReachesTheFile() throws Exception {
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("orders.mnk", ORDERS))));
        var segments = new java.util.concurrent.CopyOnWriteArrayList<GatedChannel>();
        SegmentFiles disk = file -> {
            var c = new GatedChannel(SegmentFiles.DISK.create(file));
            c.permits.release(1_000_000);
            segments.add(c);
            return c;
        };
        var started = new java.util.concurrent.atomic.AtomicInteger();
        String id;
        try (var db = orders()) {
            var setup = new Deployment.Setup(Deployment.Setup.test(db).mode(), new dev.manaknight.runtime.Admission(1, 16),
                    new dev.manaknight.runtime.RequestObserver() {
                        @Override public void started(dev.manaknight.runtime.InFlight r) { started.incrementAndGet(); }
                    }, null, db, System.err, false, null, null, dev.manaknight.runtime.effects.EffectSources.real(), disk);
            try (Deployment d = Deployment.open(program, config(true, 64 << 20), setup)) {
                assertEquals("0", d.handle(get("/orders/count")).text());
                GatedChannel segment = segments.getFirst();
                segment.permits.drainPermits(); // every fsync held from here on
                try {
                    int ended = segment.ended.get();
                    Reply created = java.util.concurrent.CompletableFuture.supplyAsync(() -> d.handle(post("{\"item\":1}")))
                            .get(10, java.util.concurrent.TimeUnit.SECONDS);
                    assertEquals(201, created.status(), created.text());
                    id = created.header("X-Request-Id");
                    assertEquals(ended, segment.ended.get(), "answered while its record's fsync was held");
                    assertEquals(List.of(id), pendingIds(db), "its record committed with it");
                    var count = java.util.concurrent.CompletableFuture.supplyAsync(() -> d.handle(get("/orders/count")));
                    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
                    while (started.get() < 3 && System.nanoTime() < deadline) Thread.sleep(1);
                    assertEquals(3, started.get(), "the count ran");
                    assertTrue(!count.isDone(), "a read is not answered before its record is durable");
                    segment.permits.release(1_000_000);
                    assertEquals("1", count.get(10, java.util.concurrent.TimeUnit.SECONDS).text());
                } finally {
                    segment.permits.release(1_000_000);
                }
            }
            assertEquals(List.of(), pendingIds(db), "the file holds the record: its row is gone");
        }
        var read = new ArrayList<JournalRecord>();
        for (var segs : JournalFiles.segments(dir.resolve("journal")).values())
            JournalFiles.records(segs, (x, n, r) -> read.add(r));
        assertEquals(JournalRecord.Commit.COMMITTED, read.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow().commit());
        assertNull(JournalVerifier.verify(dir.resolve("journal")).getFirst().broken());
    }

    /** The request ids of the records kept in the database, in order. */
    private static List<String> pendingIds(SingleConnectionDatabase db) throws Exception {
        var c = db.acquire();
        try (var rs = c.createStatement().executeQuery("SELECT id FROM manaknight_journal_pending ORDER BY id")) {
            var out = new ArrayList<String>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        } finally {
            db.release(c);
        }
    }

    private static final String ORDERS = """
            type Order { id: Int, item: Int }

            type NewOrder { item: Int }

            db {
              createOrder(item: Int): Order = "INSERT INTO orders(item) VALUES (:item) RETURNING id, item"
              countOrders(): Int = "SELECT count(*) FROM orders"
            }

            api POST /orders {
              uses { db }
              body o: NewOrder
              respond status 201 json(db.createOrder(o.item))
            }

            api GET /orders/count {
              uses { db }
              respond text("${db.countOrders()}")
            }
            """;

    /** An in-memory SQLite database whose orders name an item by a foreign key checked at commit. */
    private static SingleConnectionDatabase orders() throws Exception {
        var db = SingleConnectionDatabase.inMemorySqlite();
        try (Statement st = db.acquire().createStatement()) {
            st.execute("CREATE TABLE items (id INTEGER PRIMARY KEY)");
            st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item INTEGER NOT NULL REFERENCES items(id) "
                    + "DEFERRABLE INITIALLY DEFERRED)");
            st.execute("INSERT INTO items(id) VALUES (1)");
        }
        return db;
    }

    private Deployment openOrders(boolean durable, long segmentSize, SingleConnectionDatabase db) throws Exception {
        Program program = Program.load(Compiler.compile(List.of(new SourceFile("orders.mnk", ORDERS))));
        return Deployment.open(program, config(durable, segmentSize), Deployment.Setup.test(db));
    }

    private Config config(boolean durable, long segmentSize) throws Exception {
        Config base = ConfigLoader.parse(dir.resolve("x.toml"), "", null);
        return new Config(base.source(), base.app(), base.server(), base.limits(), base.db(), base.log(), base.http(),
                new Config.Journal(dir.resolve("journal"), durable, segmentSize, 0, 16));
    }

    private static Request post(String json) {
        return Request.of("POST", "/orders", List.of(new Header("Content-Type", "application/json")),
                json.getBytes(StandardCharsets.UTF_8), "test");
    }

    private List<String> lines() throws Exception {
        var out = new ArrayList<String>();
        try (var s = Files.list(dir.resolve("journal"))) {
            for (Path p : s.sorted().toList()) out.addAll(Files.readAllLines(p));
        }
        return out;
    }

    /** Issue 18: in audit mode a change's record commits with it and reaches the file after: one line, committed. */
    @Test void aChangesRecordCommitsWithItAndReachesTheFileAfter() throws Exception {
        String id;
        try (var db = orders()) {
            try (Deployment d = openOrders(true, 64 << 20, db)) {
                Reply created = d.handle(post("{\"item\":1}"));
                assertEquals(201, created.status(), created.text());
                id = created.header("X-Request-Id");
            }
            assertEquals(List.of(), pendingIds(db));
        }
        List<String> lines = lines();
        var mine = lines.stream().filter(l -> l.contains("\"" + id + "\"")).toList();
        assertEquals(1, mine.size(), String.join("\n", lines));
        assertTrue(mine.getFirst().contains("\"record\":{\"id\":\"" + id + "\"")
                && mine.getFirst().contains("\"commit\":\"committed\""), mine.getFirst());
        var read = new ArrayList<JournalRecord>();
        for (var segs : JournalFiles.segments(dir.resolve("journal")).values())
            JournalFiles.records(segs, (x, n, r) -> read.add(r));
        assertEquals(1, read.size());
        assertEquals(JournalRecord.Commit.COMMITTED, read.getFirst().commit());
    }

    /**
     * Issue 18: once the journal cannot write (a full disk), a change is answered 503 and nothing
     * of it is committed. A change committed before the writer found out keeps its record in the
     * database, and the next start writes it into the journal.
     */
    @Test void aJournalThatCannotWriteCommitsNothingAndLosesNoRecord() throws Exception {
        String kept;
        try (var db = orders()) {
            try (Deployment d = openOrders(true, 1, db)) {
                assertEquals("0", d.handle(get("/orders/count")).text()); // the first record: segment 1
                Path blocked = dir.resolve("journal").resolve(d.journal().instance() + "-000002.jsonl");
                Files.createDirectory(blocked); // as a full disk: every write fails
                Reply first = d.handle(post("{\"item\":1}"));
                assertEquals(201, first.status(), "committed with its record before the writer failed: " + first.text());
                kept = first.header("X-Request-Id");
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (!d.journal().failing() && System.nanoTime() < deadline) Thread.sleep(1);
                assertTrue(d.journal().failing());
                Reply refused = d.handle(post("{\"item\":1}"));
                assertEquals(503, refused.status(), refused.text());
                assertTrue(refused.text().contains("journal-unavailable"), refused.text());
                Files.delete(blocked);
                assertEquals("1", d.handle(get("/orders/count")).text(), "the refused change was not kept");
                assertEquals(List.of(kept), pendingIds(db), "the first change's record is kept in the database");
            }
            Program program = Program.load(Compiler.compile(List.of(new SourceFile("orders.mnk", ORDERS))));
            Config now = config(true, 64 << 20);
            var j = now.journal();
            Config recoverAtOnce = new Config(now.source(), now.app(), now.server(), now.limits(), now.db(), now.log(), now.http(),
                    new Config.Journal(j.path(), true, j.segmentSize(), j.keep(), j.queue(), j.redact(), j.key(),
                            java.time.Duration.ZERO));
            try (Deployment d = Deployment.open(program, recoverAtOnce, Deployment.Setup.test(db))) {
                assertEquals(List.of(), pendingIds(db), "written into the new instance's journal at its start");
            }
        }
        var read = new ArrayList<JournalRecord>();
        for (var segs : JournalFiles.segments(dir.resolve("journal")).values())
            JournalFiles.records(segs, (x, n, r) -> read.add(r));
        var recovered = read.stream().filter(r -> r.id().equals(kept)).toList();
        assertEquals(1, recovered.size(), read.toString());
        assertEquals(201, recovered.getFirst().response().status());
        assertEquals(JournalRecord.Commit.COMMITTED, recovered.getFirst().commit());
        for (var v : JournalVerifier.verify(dir.resolve("journal"))) assertNull(v.broken(), v.toString());
    }

    /**
     * Issue 18: a commit that fails (a deferred foreign key, checked at commit) is recorded with its
     * run and replays to the same 500, in the default mode and in audit mode (where the record put
     * into the transaction went with its rollback).
     */
    @Test void aFailedCommitReplaysToTheSameAnswer() throws Exception {
        for (boolean durable : new boolean[] {false, true}) {
            Path journal = dir.resolve("journal");
            if (Files.exists(journal)) try (var s = Files.list(journal)) { for (Path p : s.toList()) Files.delete(p); }
            Program program = Program.load(Compiler.compile(List.of(new SourceFile("orders.mnk", ORDERS))));
            try (var db = orders();
                 Deployment d = Deployment.open(program, config(durable, 64 << 20), Deployment.Setup.test(db))) {
                assertEquals(201, d.handle(post("{\"item\":1}")).status());
                Reply failed = d.handle(post("{\"item\":999}"));
                assertEquals(500, failed.status(), failed.text());
                assertEquals("1", d.handle(get("/orders/count")).text());
            }
            var out = new java.io.StringWriter();
            Replayer.Summary s = new Replayer(program, config(durable, 64 << 20)).replay(journal, new Replayer.Filter(null, null),
                    new java.io.PrintWriter(out), new java.io.PrintWriter(out));
            assertEquals("3 replayed, 3 identical, 0 differ", s.toString(), "durable=" + durable + ":\n" + out);
            var read = new ArrayList<JournalRecord>();
            for (var segs : JournalFiles.segments(journal).values()) JournalFiles.records(segs, (x, n, r) -> read.add(r));
            JournalRecord last = read.stream().filter(r -> r.response().status() == 500).reduce((a, b) -> b).orElseThrow();
            assertTrue(last.attempts().getFirst().commit().toString().startsWith("statement: "), last.attempts().toString());
        }
    }

    private List<String> records() throws Exception {
        var out = new ArrayList<String>();
        for (var segs : JournalFiles.segments(dir.resolve("journal")).values())
            JournalFiles.records(segs, (s, n, r) -> out.add(r.id()));
        return out;
    }
}

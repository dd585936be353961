package dev.manaknight.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
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

    private List<String> records() throws Exception {
        var out = new ArrayList<String>();
        for (var segs : JournalFiles.segments(dir.resolve("journal")).values())
            JournalFiles.records(segs, (s, n, r) -> out.add(r.id()));
        return out;
    }
}

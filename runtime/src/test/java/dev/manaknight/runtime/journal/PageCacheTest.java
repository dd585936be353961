package dev.manaknight.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manaknight.runtime.config.Config;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/**
 * The journal gives its written pages back to the OS: residency is read with util-linux's
 * `fincore`, in a folder under `target/` (a disk: on tmpfs the cache is the file).
 */
@org.junit.jupiter.api.Timeout(120)
class PageCacheTest {
    private Path dir;

    @BeforeEach void setUp() throws IOException {
        assumeTrue(PageCache.available(), "posix_fadvise through the FFM API (Linux)");
        assumeTrue(fincoreWorks(), "util-linux's fincore");
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pagecache");
    }

    @AfterEach void tearDown() throws IOException {
        if (dir == null) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test void aFileOnDiskLeavesTheCacheOnceDropped() throws Exception {
        Path f = dir.resolve("data");
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            for (int i = 0; i < 8; i++) {
                b.clear();
                while (b.hasRemaining()) c.write(b);
            }
            c.force(false);
        }
        long before = resident(f);
        assertTrue(before >= 7 << 20, "written pages are cached: " + before);
        assertTrue(PageCache.drop(f, 0, 8 << 20));
        long after = resident(f);
        assertTrue(after <= 256 << 10, "dropped: " + after + " bytes still cached");
        assertTrue(!PageCache.drop(dir.resolve("missing"), 0, 1), "a file that cannot be opened is no advice given");
    }

    /** Audit mode: its pages are on disk once answered, so all but the last {@link Segments#CACHED} bytes or so leave. */
    @Test void aJournalKeepsOnlyItsLastFewMegabytesCached() throws Exception {
        long total = 6 * Segments.CACHED;
        try (Journal j = Journal.open(new Config.Journal(dir, true, 1L << 30, 0, 4096), JournalTest.INSTANCE,
                SegmentFiles.DISK, NOPLogger.NOP_LOGGER)) {
            int n = 0;
            while (j.bytes() < total) {
                var batch = new ArrayList<CompletableFuture<Void>>();
                for (int i = 0; i < 2000; i++) batch.add(j.append(JournalTest.record("r-" + n++)));
                for (var f : batch) f.get(30, TimeUnit.SECONDS);
            }
            Path segment = segment();
            long cached = resident(segment);
            assertTrue(cached <= 2 * Segments.CACHED + (1 << 20), cached + " bytes of a " + Files.size(segment)
                    + "-byte segment cached while it is written");
        }
        long cached = resident(segment());
        assertTrue(cached <= 256 << 10, cached + " bytes cached after close");
    }

    private Path segment() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).findFirst().orElseThrow();
        }
    }

    private static boolean fincoreWorks() {
        try {
            Process p = new ProcessBuilder("fincore", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Bytes of `file` in the page cache. */
    private static long resident(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--raw", "--output", "RES", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "fincore: " + out);
        return Long.parseLong(out);
    }
}

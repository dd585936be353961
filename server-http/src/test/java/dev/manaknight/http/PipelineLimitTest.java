package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backpressure on pipelined requests (issue 12), over raw bytes on `serve`'s real pipeline: one
 * read carrying `depth` requests decodes at most {@link PipelineLimit#MAX_PENDING} of them and
 * stops reading; answering them lets the rest in; every request is answered, in order.
 */
class PipelineLimitTest {
    private FakeApp app;

    /** More workers than any depth below: every request decoded starts at once (and waits at the gate). */
    @BeforeEach void open() throws Exception { app = FakeApp.open(1024, 16); }

    @AfterEach void close() { app.close(); }

    @Test void aDeepPipelineIsDecodedAtMostMaxPendingAtATime() throws Exception {
        int max = PipelineLimit.MAX_PENDING;
        for (int depth : new int[] {1, max - 1, max, max + 1, 129, 500}) {
            long before = app.runs.get();
            app.gate = new java.util.concurrent.CountDownLatch(1); // handlers start and wait: nothing is answered
            var wire = new Wire(app);
            var requests = new StringBuilder();
            for (int i = 0; i < depth; i++) requests.append("GET /items/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            wire.send(requests.toString());
            // Nothing is answered yet: the decoder has handed on what the limit lets through, no more.
            long admitted = Math.min(depth, max);
            awaitRuns(before + admitted);
            assertEquals(depth >= max, !wire.channel().config().isAutoRead(), depth + ": reading stopped at the limit");
            wire.channel().runPendingTasks();
            assertEquals(before + admitted, app.runs.get(), depth + ": decoded no further than the limit");
            app.gate.countDown();
            for (int i = 0; i < depth; i++) {
                Wire.Response r = wire.next();
                assertEquals(200, r.status(), depth + ", answer " + i + ": " + r.body());
                assertEquals(String.valueOf(i), r.body(), depth + ": in order");
            }
            assertTrue(wire.channel().config().isAutoRead(), depth + ": reading again once answered");
            assertTrue(wire.channel().isOpen());
        }
    }

    private void awaitRuns(long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (app.runs.get() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + app.runs.get() + " of " + n + " ran within 5 s");
            Thread.sleep(1);
        }
    }
}

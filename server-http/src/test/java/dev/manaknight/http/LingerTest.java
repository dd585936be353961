package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lingering close (issue 12: a body-flood client saw a reset instead of its 413): a client
 * still sending keeps the socket draining up to the cap, a quiet one is closed after
 * {@link Linger#QUIET_MILLIS}, and every dropped byte is released. The clock is the test's.
 */
class LingerTest {
    private final MockTicker clock = Ticker.newMockTicker();

    private EmbeddedChannel lingering(long capMillis) throws Exception {
        var ch = EmbeddedChannel.builder().register(false).ticker(clock).build();
        ch.pipeline().addFirst(new Linger(capMillis, Linger.QUIET_MILLIS));
        ch.register();
        return ch;
    }

    private void advance(EmbeddedChannel ch, long millis) {
        clock.advance(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    @Test void aQuietClientIsClosedOnceQuietLongEnoughNotBefore() throws Exception {
        var ch = lingering(5000);
        advance(ch, Linger.QUIET_MILLIS - 1);
        assertTrue(ch.isActive(), "open just before the quiet period ends");
        advance(ch, 1);
        assertFalse(ch.isActive(), "closed when the quiet period ends");
    }

    @Test void aClientStillSendingKeepsItDrainingUntilTheCapThenItCloses() throws Exception {
        var ch = lingering(5000);
        ByteBuf last = null;
        for (int t = 0; t + 400 < 5000; t += 400) {
            last = Unpooled.copiedBuffer(new byte[1024]);
            ch.writeInbound(last);
            assertEquals(0, last.refCnt(), "a dropped part is released");
            advance(ch, 400);
            assertTrue(ch.isActive(), "still draining at " + (t + 400) + " ms: the client keeps sending");
        }
        assertTrue(ch.inboundMessages().isEmpty(), "nothing passes the lingering handler");
        ch.writeInbound(Unpooled.copiedBuffer(new byte[16]));
        advance(ch, 199);
        assertTrue(ch.isActive(), "open 1 ms before the cap");
        advance(ch, 1);
        assertFalse(ch.isActive(), "closed at the cap, however busily the client sends");
    }

    @Test void aCapShorterThanTheQuietPeriodBoundsIt() throws Exception {
        var ch = lingering(200);
        advance(ch, 199);
        assertTrue(ch.isActive());
        advance(ch, 1);
        assertFalse(ch.isActive());
    }

    @Test void aChannelThatCannotHalfCloseClosesAtOnce() {
        var ch = new EmbeddedChannel();
        Linger.afterAnswer(ch, 5000);
        assertFalse(ch.isActive(), "an EmbeddedChannel is no DuplexChannel: no lingering");
    }
}

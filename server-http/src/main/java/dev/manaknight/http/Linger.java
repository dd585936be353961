package dev.manaknight.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection's lingering close, the way nginx's `lingering_close` does it. A client still
 * sending when the server gives up on it (a 408, a 413, a 503 past `max_connections`) has bytes in
 * flight; closing a socket with unread input sends a reset, which can destroy the answer before
 * the client reads it. So after the answer the output is shut down (a FIN), and this handler,
 * first in the pipeline, reads and drops what still comes. The socket closes when the client
 * closes it, when it has sent nothing for {@link #QUIET_MILLIS} (it has read the answer, or never
 * will), or at the latest `cap` after the answer, however busily it sends.
 */
final class Linger extends ChannelInboundHandlerAdapter {
    /** A lingering client silent this long is done sending: nginx's `lingering_timeout`, shortened. */
    static final long QUIET_MILLIS = 500;

    private final long capNanos;
    private final long quietNanos;
    private long since;
    private long lastRead;
    private ScheduledFuture<?> timer;

    Linger(long capMillis, long quietMillis) {
        this.capNanos = TimeUnit.MILLISECONDS.toNanos(capMillis);
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(Math.min(quietMillis, capMillis));
    }

    /**
     * Writes `answer` (which says `Connection: close`), then lingers for at most `capMillis`;
     * closes at once instead when the write fails.
     */
    static void close(ChannelHandlerContext ctx, Object answer, long capMillis) {
        ctx.writeAndFlush(answer).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) afterAnswer(f.channel(), capMillis);
            else f.channel().close();
        });
    }

    /** The answer is written: shuts the output down and lingers for at most `capMillis` (closes a channel that cannot half-close). */
    static void afterAnswer(Channel channel, long capMillis) {
        if (channel instanceof DuplexChannel duplex && channel.isActive()) {
            duplex.shutdownOutput();
            if (channel.pipeline().get(Linger.class) == null)
                channel.pipeline().addFirst("linger", new Linger(capMillis, QUIET_MILLIS));
        } else {
            channel.close();
        }
    }

    @Override public void handlerAdded(ChannelHandlerContext ctx) {
        since = lastRead = now(ctx);
        // A decoder may have paused the socket's input (PipelineLimit); nothing behind this
        // handler reads any more, so the input drains from here on.
        ctx.channel().config().setAutoRead(true);
        arm(ctx, quietNanos);
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        lastRead = now(ctx);
    }

    @Override public void channelReadComplete(ChannelHandlerContext ctx) { }

    @Override public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) timer.cancel(false);
        ctx.fireChannelInactive();
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) return;
        long now = now(ctx);
        long end = Math.min(since + capNanos, lastRead + quietNanos);
        if (now - end >= 0) ctx.close();
        else arm(ctx, end - now);
    }

    private void arm(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** The event loop's clock, the one its timers run on (a test's EmbeddedChannel moves it by hand). */
    private static long now(ChannelHandlerContext ctx) { return ctx.executor().ticker().nanoTime(); }
}

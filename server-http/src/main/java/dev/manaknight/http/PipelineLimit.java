package dev.manaknight.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Bounds what one connection's pipelining makes the server hold (backpressure, issue 12). A
 * client may send thousands of requests in one write; each is answered, in order, but the
 * connection reads no further while {@link #MAX_PENDING} of its requests are read and not yet
 * answered, or while the socket does not take what was written (the client does not read its
 * answers: Netty's write-buffer high-water mark, 64 KiB). Reading resumes at {@link #RESUME_AT}
 * and a writable socket. So a connection holds at most `MAX_PENDING` requests (their bodies each
 * within `limits.body`), the bytes of one socket read not yet decoded, and its unsent answers up
 * to the high-water mark plus those `MAX_PENDING`.
 */
final class PipelineLimit extends ChannelDuplexHandler {
    /**
     * Requests of one connection read and not yet answered, past which it is not read. They run in
     * parallel (up to `server.workers` in all), so this is also how many workers one pipelining
     * client can keep busy; Netty's own codec closed the connection past 128.
     */
    static final int MAX_PENDING = 32;
    /** Reading resumes when the pending requests are down to this many. */
    static final int RESUME_AT = MAX_PENDING / 2;

    private final RequestDecoder decoder;
    private int pending;

    PipelineLimit(RequestDecoder decoder) { this.decoder = decoder; }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest && ++pending >= MAX_PENDING) decoder.pause();
        ctx.fireChannelRead(msg);
    }

    @Override public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean answer = msg instanceof HttpResponse r && msg instanceof LastHttpContent
                && r.status().codeClass() != HttpStatusClass.INFORMATIONAL;
        ctx.write(msg, promise);
        if (answer) {
            pending--;
            resumeIfDue(ctx);
        }
    }

    @Override public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) resumeIfDue(ctx);
        else decoder.pause();
        ctx.fireChannelWritabilityChanged();
    }

    private void resumeIfDue(ChannelHandlerContext ctx) {
        if (decoder.paused() && pending <= RESUME_AT && ctx.channel().isWritable()) decoder.resume();
    }

    /** Requests read and not yet answered (tests). */
    int pending() { return pending; }
}

package dev.manaknight.http;

import dev.manaknight.runtime.BodyBudget;
import dev.manaknight.runtime.DeploymentSlot;
import dev.manaknight.runtime.Refusal;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Pays for each request body from the server's {@link BodyBudget} before the aggregator buffers
 * it: a `Content-Length` body at once when its head arrives, a chunked one chunk by chunk. When
 * the budget cannot pay, the request is answered 503 (`Refusal.BodiesOverBudget`) and the
 * connection closed the lingering way, without reading the body. The bytes go back when the
 * request's final answer is written (or the connection closes). One per connection, after the
 * {@link ConnectionGuard}; a body past `limits.body` is passed on unpaid, for the aggregator's 413.
 */
final class BodyBudgetGuard extends ChannelDuplexHandler {
    private final DeploymentSlot app;
    private final BodyBudget budget;
    private final long bodyLimit;
    /** Bytes held for each request read and not yet answered, oldest first (pipelining). */
    private final ArrayDeque<long[]> held = new ArrayDeque<>();
    /** The request whose chunked body is arriving, paid as it comes; null otherwise. */
    private long[] chunked;
    private boolean refused;

    BodyBudgetGuard(DeploymentSlot app, BodyBudget budget) {
        this.app = app;
        this.budget = budget;
        this.bodyLimit = app.current().config().limits().body();
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            var paid = new long[1];
            held.add(paid);
            chunked = null;
            long length = HttpUtil.getContentLength(req, -1L);
            if (length < 0 && HttpUtil.isTransferEncodingChunked(req)) chunked = paid;
            else if (length > 0 && length <= bodyLimit) {
                if (!budget.take(length)) {
                    refuse(ctx, req, msg);
                    return;
                }
                paid[0] = length;
            }
        }
        if (msg instanceof HttpContent c && chunked != null) {
            int n = c.content().readableBytes();
            if (chunked[0] + n <= bodyLimit) { // past the limit the aggregator answers 413 and drops the rest
                if (!budget.take(n)) {
                    refuse(ctx, null, msg);
                    return;
                }
                chunked[0] += n;
            }
            if (msg instanceof LastHttpContent) chunked = null;
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest head, Object msg) {
        refused = true;
        ReferenceCountUtil.release(msg);
        long[] mine = held.pollLast();
        if (mine != null) budget.give(mine[0]);
        var req = head != null ? CoreHandler.toRequest(ctx, head, new byte[0])
                : dev.manaknight.runtime.Request.unread(String.valueOf(ctx.channel().remoteAddress()));
        var reply = app.current().refuse(req, new Refusal.BodiesOverBudget(budget.limit()));
        ConnectionGuard guard = ctx.pipeline().get(ConnectionGuard.class);
        guard.refuseAndClose(ctx.pipeline().context(guard), reply);
    }

    @Override public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && msg instanceof LastHttpContent
                && r.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            long[] done = held.poll();
            if (done != null) budget.give(done[0]);
        }
        ctx.write(msg, promise);
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) {
        for (long[] h : held) budget.give(h[0]);
        held.clear();
        ctx.fireChannelInactive();
    }
}

package dev.manaknight.http;

import dev.manaknight.runtime.DeploymentSlot;
import dev.manaknight.runtime.Refusal;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates a request and its body up to `limits.body`; past it answers the deployment's 413
 * problem document instead of Netty's empty 413 — also to `Expect: 100-continue` (curl's default
 * for large bodies), where the 413 goes out before the body is sent. Like Netty, keeps the
 * connection when the client can continue (keep-alive or `Expect: 100-continue`), else closes it
 * after the reply.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {
    private final long limit;
    private final DeploymentSlot app;
    private ChannelHandlerContext ctx;

    BodyLimitAggregator(int limit, DeploymentSlot app) {
        super(limit);
        this.limit = limit;
        this.app = app;
    }

    @Override public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    /** Netty's answer to `Expect: 100-continue`; its bare 413 for a body past the limit becomes the problem document. */
    @Override protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        if (answer instanceof HttpResponse r && r.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()
                && start instanceof HttpRequest req) {
            io.netty.util.ReferenceCountUtil.release(answer);
            return Responses.toNetty(tooLarge(req), ctx.alloc());
        }
        return answer;
    }

    private Reply tooLarge(HttpRequest req) {
        return app.current().refuse(CoreHandler.toRequest(ctx, req, new byte[0]), new Refusal.BodyTooLarge(limit));
    }

    @Override protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        Reply reply = oversized instanceof HttpRequest req ? tooLarge(req)
                : app.current().refuse(Request.unread(String.valueOf(ctx.channel().remoteAddress())), new Refusal.BodyTooLarge(limit));
        FullHttpResponse res = Responses.toNetty(reply, ctx.alloc());
        boolean close = !HttpUtil.isKeepAlive(oversized) && !HttpUtil.is100ContinueExpected(oversized)
                || oversized instanceof io.netty.handler.codec.http.FullHttpMessage;
        if (close) res.headers().set(HttpHeaderNames.CONNECTION, "close");
        var f = ctx.writeAndFlush(res);
        if (close) f.addListener(ChannelFutureListener.CLOSE);
        else f.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
}

package dev.manaknight.http;

import dev.manaknight.runtime.Problem;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.RequestCore;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates a request and its body up to `limits.body`; past it answers a 413 problem
 * document instead of Netty's empty 413. Like Netty, keeps the connection when the client
 * can continue (keep-alive or `Expect: 100-continue`), else closes it after the reply.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {
    private final long limit;
    private final RequestCore core;

    BodyLimitAggregator(int limit, RequestCore core) {
        super(limit);
        this.limit = limit;
        this.core = core;
    }

    @Override protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        Reply reply = oversized instanceof HttpRequest req
                ? core.refuse(CoreHandler.toRequest(ctx, req, new byte[0]), Problem.tooLarge(limit))
                : Problem.tooLarge(limit).reply();
        FullHttpResponse res = Responses.toNetty(reply, ctx.alloc());
        boolean close = !HttpUtil.isKeepAlive(oversized) && !HttpUtil.is100ContinueExpected(oversized)
                || oversized instanceof io.netty.handler.codec.http.FullHttpMessage;
        if (close) res.headers().set(HttpHeaderNames.CONNECTION, "close");
        var f = ctx.writeAndFlush(res);
        if (close) f.addListener(ChannelFutureListener.CLOSE);
        else f.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
}

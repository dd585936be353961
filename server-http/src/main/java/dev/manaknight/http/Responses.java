package dev.manaknight.http;

import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.ReasonPhrase;
import dev.manaknight.runtime.Reply;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Core replies as Netty responses: RFC 9110 reason phrases, headers in order, `Content-Length`
 * from the body unless set (HEAD).
 */
final class Responses {
    private Responses() {}

    static FullHttpResponse toNetty(Reply reply, ByteBufAllocator alloc) {
        var content = alloc.buffer(reply.body().length).writeBytes(reply.body());
        // RFC 9110's phrases (Netty's constants keep RFC 7231's "Request Entity Too Large"); valueOf
        // returns Netty's shared constant wherever the two agree.
        var status = HttpResponseStatus.valueOf(reply.status(), ReasonPhrase.of(reply.status()));
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        for (Header h : reply.headers()) res.headers().add(h.name(), h.value());
        if (!res.headers().contains(HttpHeaderNames.CONTENT_LENGTH))
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        return res;
    }
}

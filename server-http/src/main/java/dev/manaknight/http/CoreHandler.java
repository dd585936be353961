package dev.manaknight.http;

import dev.manaknight.runtime.Admission;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Problem;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.RequestCore;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each aggregated request to the core on a virtual thread and writes the reply back.
 * Unlike `fpm`, `serve` does not run short handlers inline on the event loop: side by side that
 * gave +45 % req/s on /hello but a p99 1.5–2× higher (bench/RESULTS.md §6; with the parallel
 * collector, §7: +29 % and a p99 still 16 % higher), and the native server's target puts tail
 * latency first. Replies on one connection are written in request
 * order (HTTP/1.1 pipelining), while requests of different connections run in parallel up to
 * `workers`.
 * One instance per connection.
 */
final class CoreHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    private final RequestCore core;
    private final Admission admission;
    /** The secret of the server's own warm-up requests ({@link SelfWarmup}), answered without the core. */
    private final String warmupToken;
    /**
     * Completes when the previous reply of this connection has been written. Every write runs as
     * a task on the channel's event loop, in chain order: a write run inline (when both futures
     * were already complete) could overtake an earlier reply still queued there.
     */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    CoreHandler(RequestCore core, Admission admission, String warmupToken) {
        this.core = core;
        this.admission = admission;
        this.warmupToken = warmupToken;
    }

    @Override protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        if (msg.decoderResult().isFailure()) {
            Reply bad = malformed(msg.decoderResult().cause()).reply(new Header("Connection", "close"));
            previous = previous.thenRunAsync(() -> ctx.writeAndFlush(Responses.toNetty(bad, ctx.alloc())).addListener(ChannelFutureListener.CLOSE), ctx.executor());
            return;
        }
        Request req = toRequest(ctx, msg);
        var reply = new CompletableFuture<Reply>();
        if (warmupToken.equals(msg.headers().get(SelfWarmup.HEADER))) {
            Thread.ofVirtual().name("manaknight-warmup").start(() -> reply.complete(SelfWarmup.REPLY));
        } else if (!admission.tryAdmit()) {
            reply.complete(core.refuse(req, Problem.overloaded(), new Header("Retry-After", "1")));
        } else {
            Thread.ofVirtual().name("manaknight-request").start(() -> {
                try {
                    reply.complete(admission.run(() -> core.handle(req)));
                } catch (InterruptedException e) {
                    reply.complete(core.refuse(req, Problem.overloaded(), new Header("Retry-After", "1")));
                } catch (Throwable t) {
                    reply.complete(Problem.of("internal", "Internal Server Error", 500, "internal error").reply());
                } finally {
                    admission.leave();
                }
            });
        }
        previous = previous.thenCombine(reply, (v, r) -> r).thenAcceptAsync(r ->
                ctx.writeAndFlush(Responses.toNetty(r, ctx.alloc())).addListener(ChannelFutureListener.CLOSE_ON_FAILURE),
                ctx.executor());
    }

    /** What a request the codec could not read is answered: 414 and 431 for the two size limits, else 400. */
    static Problem malformed(Throwable cause) {
        return switch (cause) {
            case TooLongHttpLineException e -> Problem.of("uri-too-long", "URI Too Long", 414,
                    "the request line is longer than " + HttpServer.MAX_INITIAL_LINE + " bytes");
            case TooLongHttpHeaderException e -> Problem.of("header-fields-too-large", "Request Header Fields Too Large", 431,
                    "the request's header fields are larger than " + HttpServer.MAX_HEADER_BYTES + " bytes");
            case null, default -> Problem.of("bad-request", "Bad Request", 400, "malformed HTTP request");
        };
    }

    private static Request toRequest(ChannelHandlerContext ctx, FullHttpRequest msg) {
        return toRequest(ctx, msg, ByteBufUtil.getBytes(msg.content()));
    }

    /** The core's view of a Netty request with this body. */
    static Request toRequest(ChannelHandlerContext ctx, HttpRequest msg, byte[] body) {
        var headers = new ArrayList<Header>(msg.headers().size());
        for (Map.Entry<String, String> h : msg.headers()) headers.add(new Header(h.getKey(), h.getValue()));
        return Request.of(msg.method().name(), msg.uri(), headers, body, String.valueOf(ctx.channel().remoteAddress()));
    }

    @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client that resets or goes away in the middle of a body is routine; anything else
        // escaping the pipeline is a bug of ours, and what was in flight on this connection is
        // lost with it: say so.
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException)
            LOG.debug("http: connection error", cause);
        else LOG.error("http: unexpected error; connection closed", cause);
        ctx.close();
    }
}

package dev.manaknight.http;

import dev.manaknight.netty.DrainTally;
import dev.manaknight.netty.Drainable;
import dev.manaknight.runtime.DeploymentSlot;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.InFlight;
import dev.manaknight.runtime.Refusal;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each aggregated request to the deployment and writes its reply back. Unlike `fpm`,
 * `serve` does not run short handlers inline on the event loop: side by side that gave +45 %
 * req/s on /hello but a p99 1.5–2× higher (bench/RESULTS.md §6; with the parallel collector,
 * §7: +29 % and a p99 still 16 % higher), and the native server's target puts tail latency
 * first. Replies on one connection are written in request order (HTTP/1.1 pipelining), while
 * requests of different connections run in parallel up to `workers`. A client that closes its
 * connection stops the requests it still has running (their VMs end, their transactions roll
 * back). One instance per connection; every method runs on the connection's event loop.
 */
final class CoreHandler extends SimpleChannelInboundHandler<FullHttpRequest> implements Drainable {
    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    private final DeploymentSlot app;
    private final ProbeAnswers probes;
    /** The secret of the server's own warm-up requests ({@link SelfWarmup}), answered without the core. */
    private final String warmupToken;
    /**
     * Completes when the previous reply of this connection has been written. Every write runs as
     * a task on the channel's event loop, in chain order: a write run inline (when both futures
     * were already complete) could overtake an earlier reply still queued there.
     */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
    /** Requests read whose reply is not written yet. */
    private int pending;
    /** Requests submitted and not yet answered: stopped when the client goes away. */
    private final Set<InFlight> running = new HashSet<>();
    /** Set when the server began to stop ({@link #drain}): the last answer of what was read says `Connection: close`. */
    private DrainTally draining;
    /** The last answer is decided and the connection closes after it: nothing more is read or run. */
    private boolean closing;
    private ChannelHandlerContext ctx;

    CoreHandler(DeploymentSlot app, ProbeAnswers probes, String warmupToken) {
        this.app = app;
        this.probes = probes;
        this.warmupToken = warmupToken;
    }

    @Override public void handlerAdded(ChannelHandlerContext ctx) { this.ctx = ctx; }

    @Override protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        // Sent before its client read our `Connection: close`: never run, so the client may send it again.
        if (closing) return;
        pending++;
        if (msg.decoderResult().isFailure()) {
            // The last request of this connection (HeadCheck closes it after this answer), answered in its turn.
            Reply bad = app.current().refuse(toRequest(ctx, msg, new byte[0]), refusal(msg.decoderResult().cause()));
            previous = previous.thenRunAsync(() -> write(ctx, bad), ctx.executor());
            return;
        }
        Request req = toRequest(ctx, msg, ByteBufUtil.getBytes(msg.content()));
        var reply = new CompletableFuture<Reply>();
        InFlight r = null;
        Reply probe = probes.answer(req.method(), req.rawPath());
        if (probe != null) {
            reply.complete(probe);
        } else if (warmupToken.equals(msg.headers().get(SelfWarmup.HEADER))) {
            Thread.ofVirtual().name("manaknight-warmup").start(() -> reply.complete(SelfWarmup.REPLY));
        } else {
            r = app.submit(req, false, done -> reply.complete(done.reply()));
            if (!r.replied()) running.add(r);
        }
        InFlight submitted = r;
        previous = previous.thenCombine(reply, (v, x) -> x).thenAcceptAsync(x -> {
            if (submitted != null) running.remove(submitted);
            write(ctx, x);
        }, ctx.executor());
    }

    /**
     * Writes one reply. While draining, the last reply of what was read says `Connection: close`
     * (issue 17: a client or load balancer must not send another request on this connection; one
     * sending a request at a time gets it on every answer) and closes; what arrives after it is
     * not read.
     */
    private void write(ChannelHandlerContext ctx, Reply reply) {
        pending--;
        FullHttpResponse res = Responses.toNetty(reply, ctx.alloc());
        boolean last = draining != null && pending == 0;
        if (draining != null) draining.completed();
        if (last) {
            // Not on an answer with pipelined requests behind it: they were read, so they are answered.
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            stopReading();
        }
        ctx.writeAndFlush(res).addListener(last ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private void stopReading() {
        closing = true;
        ctx.channel().config().setAutoRead(false);
    }

    /**
     * Graceful stop: a busy connection closes after its last answer, which says so; an idle one
     * after `idleGrace`, unless a request came meanwhile (then after its answer). A request whose
     * head or body is still arriving makes the connection busy, not idle (issue 17: a slow upload
     * was cut at the grace); if it stalls, `server.idle_timeout` ends it ({@link ConnectionGuard}).
     */
    @Override public void drain(DrainTally tally, java.time.Duration idleGrace) {
        if (draining != null) return;
        draining = tally;
        if (pending == 0) ctx.executor().schedule(() -> {
            if (pending == 0 && !closing && ctx.channel().isActive() && !arriving()) { // nothing read or arriving is cut
                stopReading();
                tally.closedIdle();
                ctx.close();
            }
        }, idleGrace.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A request has begun to arrive (part of its head, or its head and part of its body). */
    private boolean arriving() {
        ConnectionGuard guard = ctx.pipeline().get(ConnectionGuard.class);
        return guard != null && guard.arriving();
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) {
        // The client is gone: nobody will read these answers, so their VMs stop and their work rolls back.
        for (InFlight r : running) r.stop(InFlight.Stop.CLIENT_GONE);
        running.clear();
        ctx.fireChannelInactive();
    }

    /**
     * What a request the decoder could not read, or {@link HeadCheck} refused, is answered: 414 and
     * 431 for the two size limits, HeadCheck's refusal, else 400.
     */
    static Refusal refusal(Throwable cause) {
        return switch (cause) {
            case HeadCheck.Refused r -> r.refusal();
            case TooLongHttpLineException e -> new Refusal.UriTooLong(HttpServer.MAX_INITIAL_LINE);
            case TooLongHttpHeaderException e -> new Refusal.HeadersTooLarge(HttpServer.MAX_HEADER_BYTES);
            case null, default -> new Refusal.Malformed("malformed HTTP request");
        };
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

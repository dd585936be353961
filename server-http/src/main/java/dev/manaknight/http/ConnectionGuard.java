package dev.manaknight.http;

import dev.manaknight.runtime.ConnectionCount;
import dev.manaknight.runtime.DeploymentSlot;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Refusal;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One per connection, right after the HTTP codec: keeps `serve`'s connections within
 * `server.max_connections` and `server.idle_timeout`.
 * <ul>
 * <li>Past the limit, a new connection is answered `503` (a problem document, `Retry-After: 1`)
 *     and closed, before anything is read: lingering as after a 408 while the server's
 *     {@link LingerBudget} allows, at once past it.</li>
 * <li>A connection waiting for a request must receive its whole head within the idle timeout,
 *     counted from when it opened or its last reply was sent: an idle keep-alive connection
 *     and one that trickles a head a byte at a time (slowloris) are closed alike, the second
 *     with a `408` problem document.</li>
 * <li>While a body arrives, no gap between two reads of it may exceed the timeout: a slow upload that
 *     progresses is never idle, one that stalls for the timeout is closed.</li>
 * <li>While a handler runs, nothing here applies: `limits.timeout` bounds it.</li>
 * <li>While it waits for a request it may be shed: closed to make room for a new connection when
 *     the table is full ({@link ConnectionCount}; counted per client by the remote address, so that
 *     a client holding more than its share gives way to others). Idle for {@link
 *     ConnectionCount#MIN_IDLE} since its last reply, silently; younger, with part of a head
 *     arrived, or never answered yet, 503 the lingering way, since its request may already be on
 *     the way.</li>
 * </ul>
 * One timer per connection at a time, re-armed for the next deadline: nothing is scheduled per
 * request.
 */
final class ConnectionGuard extends ChannelDuplexHandler implements ConnectionCount.Sheddable {
    /** How long at most a connection answered 408 or 413 drains what the client still sends ({@link Linger}). */
    static final long LINGER_MILLIS = 5000;
    /** The same for a connection refused past `max_connections`: shorter, as a flood may bring many. */
    static final long REFUSED_LINGER_MILLIS = 2000;

    private final DeploymentSlot app;
    private final ConnectionCount connections;
    private final LingerBudget refusedLinger;
    private final long timeoutNanos;
    private boolean counted;
    /** Whose connection this is, for the per-client count ({@link ConnectionCount#clientOf}); set when it opens. */
    private InetAddress client;
    /** Requests whose head arrived and whose final reply is not yet written. */
    private int pending;
    /** When the connection began to wait for a request head ({@link #now}), while none is pending. */
    private long waitingSince;
    /** While a request body arrives: when its last part came; -1 otherwise. */
    private long bodySince = -1;
    /** Bytes of a request head arrived while waiting, but not the whole head. */
    private boolean partialHead;
    /** A final reply has been written on this connection: it is a kept-alive one. */
    private boolean answeredOne;
    /** A 408 was sent: what the client still sends is dropped until it closes or the linger ends. */
    private boolean closing;
    private ScheduledFuture<?> timer;
    private ChannelHandlerContext ctx;
    /** {@link #WAITING}, {@link #WORKING} or {@link #SHED}: whether {@link #shed} may close it. */
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private static final int WAITING = 0;
    private static final int WORKING = 1;
    private static final int SHED = 2;

    ConnectionGuard(DeploymentSlot app, ConnectionCount connections, LingerBudget refusedLinger, Duration idleTimeout) {
        this.app = app;
        this.connections = connections;
        this.refusedLinger = refusedLinger;
        this.timeoutNanos = idleTimeout.toNanos();
    }

    @Override public void handlerAdded(ChannelHandlerContext ctx) { this.ctx = ctx; }

    /** Any thread: closes the connection if it waits for a request (the table is full and a new one wants in). */
    @Override public boolean shed() {
        if (!state.compareAndSet(WAITING, SHED)) return false;
        ctx.executor().execute(() -> {
            // A keep-alive connection idle for MIN_IDLE since its last answer closes without a
            // word, as clients expect (they send a request again on a new connection). Any other is
            // told why: one whose head has begun to arrive; a younger one (shed because its client
            // holds more than its share); and one that has not had an answer yet, since a busy
            // server may not have read the first request its client sent right after connecting.
            // Closing over an unread request resets the connection instead of answering (issue 12).
            if (partialHead || !answeredOne || now() - waitingSince < ConnectionCount.MIN_IDLE.toNanos()) refuseTooMany(ctx);
            else ctx.close();
        });
        return true;
    }

    /** Answers 503 past `max_connections` and closes, lingering while the server's budget allows. */
    private void refuseTooMany(ChannelHandlerContext ctx) {
        var reply = withClose(app.current().refuse(unread(ctx), new Refusal.TooManyConnections()));
        // A client that sent its request before this answer came would see a reset, not the
        // 503, if the socket closed with that request unread: so linger, within the budget.
        // Past it (a flood) close at once: each lingering connection holds a descriptor.
        if (refusedLinger.take()) {
            ctx.channel().closeFuture().addListener(f -> refusedLinger.give());
            lingeringClose(ctx, reply, REFUSED_LINGER_MILLIS);
        } else {
            ctx.writeAndFlush(Responses.toNetty(reply, ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override public InetAddress client() { return client; }

    /**
     * A request has begun to arrive and is not yet all here: part of its head, or its head and not
     * all of its body. A drain does not close such a connection as idle ({@link CoreHandler#drain}).
     */
    boolean arriving() { return partialHead || bodySince >= 0; }

    @Override public void channelActive(ChannelHandlerContext ctx) {
        client = ConnectionCount.clientOf(ctx.channel().remoteAddress());
        counted = connections.enter(client);
        if (!counted) {
            refuseTooMany(ctx);
            return;
        }
        waitingSince = now();
        arm(ctx, timeoutNanos);
        connections.idle(this);
        ctx.fireChannelActive();
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!counted || closing || state.get() == SHED) { // refused, answered 408, or shed: nothing it sends is read
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest) {
            if (pending == 0 && !state.compareAndSet(WAITING, WORKING)) { // shed a moment ago
                ReferenceCountUtil.release(msg);
                return;
            }
            connections.busy(this);
            pending++;
            partialHead = false;
            bodySince = msg instanceof LastHttpContent ? -1 : now();
        } else if (msg instanceof HttpContent && bodySince >= 0) {
            bodySince = msg instanceof LastHttpContent ? -1 : now();
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Fired for every read from the socket, also one that gave the codec no whole head, or no part
     * of a body (a chunk's size line): while a body arrives, every read is progress.
     */
    @Override public void channelReadComplete(ChannelHandlerContext ctx) {
        if (counted && pending == 0 && bodySince < 0) partialHead = true;
        if (counted && bodySince >= 0) bodySince = now();
        ctx.fireChannelReadComplete();
    }

    @Override public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // A final reply handed to the socket ends its request; the wait for the next starts then
        // (a client that does not read its replies is not given longer).
        if (counted && msg instanceof HttpResponse r && msg instanceof LastHttpContent
                && r.status().codeClass() != HttpStatusClass.INFORMATIONAL && pending > 0 && --pending == 0) {
            waitingSince = now();
            partialHead = false;
            answeredOne = true;
            if (state.compareAndSet(WORKING, WAITING)) connections.idle(this);
        }
        ctx.write(msg, promise);
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) timer.cancel(false);
        connections.busy(this);
        if (counted) connections.leave(client);
        ctx.fireChannelInactive();
    }

    /**
     * Refuses what the client is sending now with `reply` (plus `Connection: close`) and closes
     * the lingering way: a later handler that will not read a request's body (the body budget).
     */
    void refuseAndClose(ChannelHandlerContext ctx, Reply reply) {
        lingeringClose(ctx, withClose(reply), LINGER_MILLIS);
    }

    /** Sends `reply` and closes the lingering way ({@link Linger}), for at most `lingerMillis`. */
    private void lingeringClose(ChannelHandlerContext ctx, Reply reply, long lingerMillis) {
        closing = true;
        Linger.close(ctx, Responses.toNetty(reply, ctx.alloc()), lingerMillis);
    }

    /** The event loop's clock: the one its timers run on (a test's EmbeddedChannel moves it by hand). */
    private long now() { return ctx.executor().ticker().nanoTime(); }

    private static Request unread(ChannelHandlerContext ctx) {
        return Request.unread(String.valueOf(ctx.channel().remoteAddress()));
    }

    private static Reply withClose(Reply r) {
        var headers = new java.util.ArrayList<>(r.headers());
        headers.add(new Header("Connection", "close"));
        return new Reply(r.status(), headers, r.body());
    }

    private void arm(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) return;
        long now = now();
        long deadline;
        if (bodySince >= 0) deadline = bodySince + timeoutNanos;
        else if (pending == 0) deadline = waitingSince + timeoutNanos;
        else deadline = now + timeoutNanos; // a handler runs: limits.timeout bounds it
        if (now - deadline >= 0) {
            connections.closedIdle();
            if (pending == 0 && bodySince < 0 && partialHead) {
                // Part of a head came, not all of it: say why (RFC 9110 §15.5.9). An idle
                // keep-alive connection is closed without a word, as clients expect.
                var reply = withClose(app.current().refuse(unread(ctx), new Refusal.HeadTimeout()));
                lingeringClose(ctx, reply, LINGER_MILLIS);
            } else {
                ctx.close();
            }
            return;
        }
        arm(ctx, deadline - now);
    }
}

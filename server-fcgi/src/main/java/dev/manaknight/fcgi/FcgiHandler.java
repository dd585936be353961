package dev.manaknight.fcgi;

import static dev.manaknight.fcgi.FcgiProtocol.FCGI_OVERLOADED;
import static dev.manaknight.fcgi.FcgiProtocol.FCGI_REQUEST_COMPLETE;

import dev.manaknight.netty.DrainTally;
import dev.manaknight.netty.Drainable;
import dev.manaknight.netty.Transport;
import dev.manaknight.runtime.BodyBudget;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.InFlight;
import dev.manaknight.runtime.Refusal;
import dev.manaknight.runtime.Request;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FastCGI connection on Netty: decodes on the event loop, hands each request to the server's
 * deployment, frames and writes the answer back on the loop. A request the core says runs inline
 * (a short pure handler, see runtime.md) runs on the loop itself when a worker is free at once;
 * others run on a virtual thread. One instance per connection; every method runs on the
 * connection's event loop.
 */
final class FcgiHandler extends ChannelInboundHandlerAdapter implements FcgiConnection.Sink, Drainable {
    private static final Logger LOG = LoggerFactory.getLogger("manaknight.fpm");

    private final FpmServer server;
    private final FcgiConnection conn;
    private final Map<Integer, InFlight> running = new HashMap<>();
    private ChannelHandlerContext ctx;
    /** Set when the server began to stop ({@link #drain}). */
    private DrainTally draining;
    /** The connection closes after the END_REQUEST just written: nothing more is read or run. */
    private boolean closing;
    /** Counted among the open connections (false when refused at `max_connections`). */
    private boolean counted;
    /** See {@link Transport#stopReadingBeforeClose}. */
    private final boolean stopReadingBeforeClose;

    FcgiHandler(FpmServer server, FcgiLimits limits, BodyBudget bodies, boolean stopReadingBeforeClose) {
        this.server = server;
        this.stopReadingBeforeClose = stopReadingBeforeClose;
        this.conn = new FcgiConnection(limits, bodies, this);
    }

    @Override public void handlerAdded(ChannelHandlerContext ctx) { this.ctx = ctx; }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        if (closing) { // sent before the peer saw the close: never run, so it may be sent again
            buf.release();
            return;
        }
        try {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            conn.feed(b, 0, b.length);
        } catch (FcgiException e) {
            LOG.warn("{} from {}; connection closed", e.getMessage(), ctx.channel().remoteAddress());
            ctx.close();
        } finally {
            buf.release();
        }
    }

    @Override public void channelActive(ChannelHandlerContext ctx) {
        counted = server.status().connections.enter();
        if (!counted) {
            // FCGI_MAX_CONNS is a promise: past it, close before reading anything (nginx answers
            // 502 or tries its next upstream), rather than run out of file descriptors later.
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) server.status().connections.leave();
        // The web server is gone: nobody will read these answers, so their VMs stop now.
        running.values().forEach(r -> r.stop(InFlight.Stop.CLIENT_GONE));
        running.clear();
        conn.close();
    }

    @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer that resets is routine; anything else escaping the handler is a bug of ours, and
        // the requests open on this connection are lost with it (nginx answers 502): say so.
        if (cause instanceof IOException) LOG.debug("fcgi: connection error", cause);
        else LOG.error("fcgi: unexpected error; connection closed", cause);
        ctx.close();
    }

    /**
     * Graceful stop: close after the last open request ends, or after `idleGrace` when idle then.
     * A connection on which a request has begun to arrive (a record's first byte) is not idle: it
     * closes after that request's END_REQUEST (issue 17). The web server must close its idle kept
     * connections before `idleGrace` ends (nginx: `keepalive_timeout` below `server.drain_delay`):
     * one that sends a request just as this side closes gets a reset, and nginx answers a POST so
     * met 502, since it never sends a non-idempotent request again.
     */
    @Override public void drain(DrainTally tally, java.time.Duration idleGrace) {
        if (draining != null) return;
        draining = tally;
        ctx.executor().schedule(() -> {
            if (conn.idle() && !closing && ctx.channel().isActive()) { // idle: nothing read is left unanswered
                stopReading();
                tally.closedIdle();
                ctx.close();
            }
        }, idleGrace.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void stopReading() {
        closing = true;
        ctx.channel().config().setAutoRead(false);
    }

    @Override public void request(FcgiRequest r) {
        if (closing) return; // a record in the same read as the last END_REQUEST: not run (see channelRead)
        Request req = CgiEnvironment.toRequest(r.params(), r.stdin());
        Deployment app = server.current();
        String path = req.rawPath();
        if (path.equals(app.config().server().pingPath())) {
            finish(r.id(), CgiOutput.of(StatusPage.pong()), FCGI_REQUEST_COMPLETE);
            return;
        }
        if (path.equals(app.config().server().statusPath())) {
            finish(r.id(), CgiOutput.of(StatusPage.render(server.status(), req.query(), app.journal())), FCGI_REQUEST_COMPLETE);
            return;
        }
        if (r.overBudget()) {
            finish(r.id(), CgiOutput.of(app.refuse(req, new Refusal.BodiesOverBudget(server.bodies().limit()))), FCGI_OVERLOADED);
            return;
        }
        if (r.stdinTooLarge()) {
            finish(r.id(), CgiOutput.of(app.refuse(req, new Refusal.BodyTooLarge(conn.limits().maxStdinBytes()))),
                    FCGI_REQUEST_COMPLETE);
            return;
        }
        int id = r.id();
        InFlight f = server.submit(req, true, done -> answered(id, done));
        if (!f.replied()) running.put(id, f);
    }

    /** A request's reply was decided, on whichever thread decided it: framed and written on the loop. */
    private void answered(int id, InFlight done) {
        byte[] out = CgiOutput.of(done.reply());
        int protocolStatus = done.rejected() ? FCGI_OVERLOADED : FCGI_REQUEST_COMPLETE;
        if (ctx.executor().inEventLoop()) {
            running.remove(id);
            finish(id, out, protocolStatus);
        } else {
            ctx.executor().execute(() -> {
                running.remove(id);
                finish(id, out, protocolStatus);
            });
        }
    }

    @Override public void abort(int requestId) {
        InFlight r = running.get(requestId);
        if (r != null) r.stop(InFlight.Stop.CLIENT_GONE);
    }

    @Override public void write(byte[] bytes) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private void finish(int id, byte[] stdout, int protocolStatus) {
        if (!ctx.channel().isActive()) return;
        FcgiConnection.Ending e = conn.end(id, stdout, 0, protocolStatus);
        var f = ctx.writeAndFlush(Unpooled.wrappedBuffer(e.bytes()));
        if (draining != null) draining.completed();
        // Spec §5.5: without FCGI_KEEP_CONN the application closes the connection after END_REQUEST.
        if ((e.close() || draining != null) && conn.openRequests() == 0) {
            if (draining != null) stopReading();
            else if (stopReadingBeforeClose) ctx.channel().config().setAutoRead(false);
            f.addListener(ChannelFutureListener.CLOSE);
        } else {
            f.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }
}

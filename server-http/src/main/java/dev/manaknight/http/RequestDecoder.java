package dev.manaknight.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's HTTP/1.1 request decoder with a brake, one per connection. {@link #pause} stops it at
 * the next request boundary: the bytes after it stay undecoded and the socket is not read, so a
 * client that pipelines thousands of requests makes the server hold a few requests and one read's
 * bytes, not thousands of decoded requests ({@link PipelineLimit} decides when). {@link #discard}
 * drops everything still to come (a refused connection drains the client's bytes while it lingers).
 *
 * <p>Unlike Netty's {@code HttpServerCodec}, it keeps no queue of request methods for the encoder:
 * every reply here is a whole response with its `Content-Length` (a HEAD reply's is the GET body's),
 * so the encoder needs none, and there is no pipeline depth past which the codec throws (it threw
 * at 129 pipelined requests, which reset the connection unanswered: issue 12). Header names and
 * values are not checked here but by {@link HeadCheck}, which says what was wrong. A request with
 * both Transfer-Encoding and Content-Length (RFC 9112 §6.1, a smuggling attempt) is a decoder
 * failure, answered 400 and closed.
 */
final class RequestDecoder extends HttpRequestDecoder {
    private ChannelHandlerContext ctx;
    /** Stop at the next request boundary. */
    private boolean paused;
    /** Skip every byte from now on. */
    private boolean discarding;
    /** The last message decoded ended a request (or none was decoded yet). */
    private boolean atBoundary = true;

    RequestDecoder(int maxInitialLine, int maxHeaderBytes, int maxChunk) {
        super(new HttpDecoderConfig().setMaxInitialLineLength(maxInitialLine).setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(maxChunk).setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false)));
    }

    @Override public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (discarding) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        if (paused && atBoundary) return; // the bytes stay in the cumulation until resume()
        int before = out.size();
        super.decode(ctx, buffer, out);
        if (out.size() > before) atBoundary = out.getLast() instanceof LastHttpContent;
    }

    /** Stops decoding at the next request boundary and stops reading the socket. */
    void pause() {
        if (discarding || paused) return;
        paused = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Reads the socket again and, in a task of its own, decodes what was held back. */
    void resume() {
        if (!paused) return;
        paused = false;
        ctx.channel().config().setAutoRead(true);
        // Not inline: resume() may be called while this decoder is inside its own decode loop.
        ctx.executor().execute(this::decodeHeld);
    }

    boolean paused() { return paused; }

    /** From now on every byte the client sends is read and dropped. */
    void discard() {
        discarding = true;
        paused = false;
        ctx.channel().config().setAutoRead(true);
    }

    private void decodeHeld() {
        if (paused || !ctx.channel().isActive()) return;
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }
}

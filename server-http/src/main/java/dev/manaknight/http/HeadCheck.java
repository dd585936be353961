package dev.manaknight.http;

import dev.manaknight.runtime.Refusal;
import dev.manaknight.runtime.route.PathSegments;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks each request head the decoder hands over (RFC 9112), before any body is read or any
 * handler runs, and refuses what HTTP/1.1 does not allow:
 * <ul>
 * <li>a version other than HTTP/1.x: 505 (HTTP/1.2 is read as HTTP/1.1, RFC 9110 §6.2);</li>
 * <li>a target with a raw control character, space or non-ASCII byte: 400 at `/path` or
 *     `/query`, as the core answers a malformed escape there;</li>
 * <li>a header name that is not a token, or a value with a control character other than HTAB:
 *     400 at `/header/NAME` (Netty's own header validation is off: this is the one check);</li>
 * <li>`Host` missing on HTTP/1.1, given more than once, or not a `host[:port]`: 400 at
 *     `/header/Host` (§3.2).</li>
 * </ul>
 * A refused head, and one the decoder could not read, goes on as a complete request whose
 * decoder result is the failure, so that {@link CoreHandler} answers it in its turn, after the
 * requests pipelined before it. Then nothing more is read as a request: the decoder drops the
 * client's bytes, and once the refusal is written (with `Connection: close`) the connection
 * closes the lingering way — output shut down, input drained for up to
 * {@link ConnectionGuard#LINGER_MILLIS} — so a client still sending reads the answer, not a reset.
 */
final class HeadCheck extends ChannelDuplexHandler {
    /** A refused request head: the decoder-result failure {@link CoreHandler} answers with its refusal. */
    static final class Refused extends Exception {
        private final transient Refusal refusal;

        Refused(Refusal refusal) {
            super(refusal.problem().detail(), null, false, false); // data, not a fault: no stack
            this.refusal = refusal;
        }

        Refusal refusal() { return refusal; }
    }

    private final RequestDecoder decoder;
    /** Request heads passed on, the refused one included. */
    private long requests;
    /** Final responses written. */
    private long answered;
    /** A head was refused: it is the last request this connection answers. */
    private boolean refused;

    HeadCheck(RequestDecoder decoder) { this.decoder = decoder; }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) { // the rest of the refused request, or what the decoder had produced with it
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            Refusal why = req.decoderResult().isSuccess() ? check(req) : null;
            if (why != null || req.decoderResult().isFailure()) {
                refused = true;
                decoder.discard();
                requests++;
                ctx.fireChannelRead(whole(req, why == null ? req.decoderResult() : DecoderResult.failure(new Refused(why))));
                return;
            }
            requests++;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The refused head as a complete request without a body: the aggregator lets it through at once
     * (it would otherwise answer an `Expect: 100-continue` first) and drops nothing it should keep.
     */
    private static FullHttpRequest whole(HttpRequest req, DecoderResult result) {
        FullHttpRequest full = req instanceof FullHttpRequest f ? f : new DefaultFullHttpRequest(req.protocolVersion(),
                req.method(), req.uri(), Unpooled.EMPTY_BUFFER, req.headers(), EmptyHttpHeaders.INSTANCE);
        if (full != req) ReferenceCountUtil.release(req);
        full.setDecoderResult(result);
        return full;
    }

    @Override public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && msg instanceof LastHttpContent
                && r.status().codeClass() != HttpStatusClass.INFORMATIONAL && ++answered == requests && refused) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.write(msg, promise.unvoid()).addListener(f -> {
                if (f.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                    duplex.shutdownOutput();
                    ctx.executor().schedule(() -> ctx.close(), ConnectionGuard.LINGER_MILLIS, TimeUnit.MILLISECONDS);
                } else {
                    ctx.close();
                }
            });
            return;
        }
        ctx.write(msg, promise);
    }

    /** Why this head is refused, or null when it is acceptable. */
    static Refusal check(HttpRequest req) {
        HttpVersion v = req.protocolVersion();
        if (v.majorVersion() != 1) return new Refusal.VersionNotSupported(v.text());
        String target = req.uri();
        int q = target.indexOf('?');
        Refusal bad = rawAscii("/path", q < 0 ? target : target.substring(0, q));
        if (bad == null && q >= 0) bad = rawAscii("/query", target.substring(q + 1));
        if (bad != null) return bad;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = req.headers().iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            Refusal header = header(h.getKey(), h.getValue());
            if (header != null) return header;
        }
        return host(req.headers().getAll(HttpHeaderNames.HOST), v.minorVersion() >= 1);
    }

    private static Refusal rawAscii(String pointer, String part) {
        try {
            PathSegments.requireRawAscii(part);
            return null;
        } catch (IllegalArgumentException e) {
            return new Refusal.InvalidRequest(pointer, e.getMessage());
        }
    }

    /** RFC 9110 §5.1, §5.5: a name is a token; a value has no control character but HTAB (obs-text is allowed). */
    private static Refusal header(CharSequence name, CharSequence value) {
        if (name.isEmpty()) return new Refusal.InvalidRequest("/header", "a header has an empty name");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isTokenChar(c))
                return new Refusal.InvalidRequest("/header", "a header name has " + describe(c) + ", which a name may not have");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F)
                return new Refusal.InvalidRequest("/header/" + name, "has " + describe(c) + "; a value may have no control character but a tab");
        }
        return null;
    }

    /** RFC 9112 §3.2: one `Host` on HTTP/1.1, at most one before it, and each a `uri-host [":" port]`. */
    private static Refusal host(List<String> hosts, boolean required) {
        if (hosts.size() > 1) return new Refusal.InvalidRequest("/header/Host", "must be given once");
        if (hosts.isEmpty()) return required ? new Refusal.InvalidRequest("/header/Host", "is required on HTTP/1.1") : null;
        return validHost(hosts.getFirst()) ? null : new Refusal.InvalidRequest("/header/Host", "is not a host[:port]");
    }

    /** `IP-literal / IPv4address / reg-name` with an optional `:port` (RFC 3986 §3.2.2); empty is allowed (§3.2). */
    static boolean validHost(String h) {
        int end = h.length();
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && h.indexOf(']', colon) < 0) { // a port, not a colon inside [v6]
            for (int i = colon + 1; i < end; i++) if (h.charAt(i) < '0' || h.charAt(i) > '9') return false;
            end = colon;
        }
        if (end > 0 && h.charAt(0) == '[') {
            if (h.charAt(end - 1) != ']') return false;
            for (int i = 1; i < end - 1; i++) {
                char c = h.charAt(i);
                if (!(isRegNameChar(c) || c == ':') || c == '%') return false;
            }
            return true;
        }
        for (int i = 0; i < end; i++) if (!isRegNameChar(h.charAt(i))) return false;
        return true;
    }

    /** unreserved / sub-delims / `%` of pct-encoded. */
    private static boolean isRegNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
    }

    /** tchar (RFC 9110 §5.6.2). */
    private static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String describe(char c) {
        String kind = c < 0x20 || c == 0x7F ? "a control character" : c == ' ' ? "a space" : c > 0x7F ? "a non-ASCII character"
                : "the character";
        return kind + " (U+" + String.format("%04X", (int) c) + ")";
    }
}

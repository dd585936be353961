package dev.manaknight.http;

import dev.manaknight.runtime.Refusal;
import dev.manaknight.runtime.route.PathSegments;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
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
import java.util.Map;

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
 *     `/header/Host` (§3.2);</li>
 * <li>an `Expect` other than `100-continue` on HTTP/1.1: 417 (RFC 9110 §10.1.1; Netty's aggregator
 *     answered it with a bare 417 of its own).</li>
 * </ul>
 * A refused head, and one the decoder could not read, goes on as a complete request whose
 * decoder result is the failure, so that {@link CoreHandler} answers it in its turn, after the
 * requests pipelined before it. Then nothing more is read as a request: the decoder drops the
 * client's bytes, and once the refusal is written (with `Connection: close`) the connection
 * closes the lingering way ({@link Linger}) so a client still sending reads the answer, not a reset.
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
     * (it would otherwise answer an `Expect: 100-continue` first), and with its body's framing
     * headers gone the body budget does not pay for a body that is never read.
     */
    private static FullHttpRequest whole(HttpRequest req, DecoderResult result) {
        FullHttpRequest full = req instanceof FullHttpRequest f ? f : new DefaultFullHttpRequest(req.protocolVersion(),
                req.method(), req.uri(), Unpooled.EMPTY_BUFFER, req.headers(), EmptyHttpHeaders.INSTANCE);
        if (full != req) ReferenceCountUtil.release(req);
        full.headers().remove(HttpHeaderNames.CONTENT_LENGTH).remove(HttpHeaderNames.TRANSFER_ENCODING);
        full.setDecoderResult(result);
        return full;
    }

    @Override public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && msg instanceof LastHttpContent
                && r.status().codeClass() != HttpStatusClass.INFORMATIONAL && ++answered == requests && refused) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.write(msg, promise.unvoid()).addListener(f -> {
                if (f.isSuccess()) Linger.afterAnswer(ctx.channel(), ConnectionGuard.LINGER_MILLIS);
                else ctx.close();
            });
            return;
        }
        ctx.write(msg, promise);
    }

    /**
     * Why this head is refused, or null when it is acceptable: one pass over the target and one
     * over the headers, with table lookups.
     */
    static Refusal check(HttpRequest req) {
        HttpVersion v = req.protocolVersion();
        if (v.majorVersion() != 1) return new Refusal.VersionNotSupported(v.text());
        String target = req.uri();
        for (int i = 0; i < target.length(); i++) {
            String bad = PathSegments.notRaw(target.charAt(i)); // the core's words for it
            if (bad == null) continue;
            int q = target.indexOf('?');
            return new Refusal.InvalidRequest(q >= 0 && i > q ? "/query" : "/path", bad);
        }
        int hosts = 0;
        CharSequence host = null;
        boolean unmetExpectation = false;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = req.headers().iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            Refusal header = header(h.getKey(), h.getValue());
            if (header != null) return header;
            if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(h.getKey())) {
                hosts++;
                host = h.getValue();
            } else if (HttpHeaderNames.EXPECT.contentEqualsIgnoreCase(h.getKey())) {
                unmetExpectation |= !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(h.getValue());
            }
        }
        if (unmetExpectation && v.minorVersion() >= 1) return new Refusal.ExpectationFailed(); // HTTP/1.0's is ignored
        if (hosts > 1) return new Refusal.InvalidRequest("/header/Host", "must be given once");
        if (hosts == 0)
            return v.minorVersion() >= 1 ? new Refusal.InvalidRequest("/header/Host", "is required on HTTP/1.1") : null;
        return validHost(host) ? null : new Refusal.InvalidRequest("/header/Host", "is not a host[:port]");
    }

    /** RFC 9110 §5.1, §5.5: a name is a token; a value has no control character but HTAB (obs-text is allowed). */
    private static Refusal header(CharSequence name, CharSequence value) {
        if (name.isEmpty()) return new Refusal.InvalidRequest("/header", "a header has an empty name");
        for (int i = 0; i < name.length(); i++) if (!TOKEN.has(name.charAt(i))) return badName(name.charAt(i));
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F)
                return new Refusal.InvalidRequest("/header/" + name,
                        "has " + describe(c) + "; a value may have no control character but a tab");
        }
        return null;
    }

    private static Refusal badName(char c) {
        return new Refusal.InvalidRequest("/header", "a header name has " + describe(c) + ", which a name may not have");
    }

    /**
     * RFC 9112 §3.2: `Host` is `uri-host [":" port]`, where uri-host is `IP-literal / IPv4address /
     * reg-name` (RFC 3986 §3.2.2); empty is allowed (a target without an authority).
     */
    static boolean validHost(CharSequence h) {
        int end = h.length();
        int colon = lastIndexOf(h, ':');
        if (colon >= 0 && lastIndexOf(h, ']') < colon) { // a port, not a colon inside [v6]
            for (int i = colon + 1; i < end; i++) if (h.charAt(i) < '0' || h.charAt(i) > '9') return false;
            end = colon;
        }
        if (end > 0 && h.charAt(0) == '[') {
            if (end < 2 || h.charAt(end - 1) != ']') return false;
            for (int i = 1; i < end - 1; i++) if (!IP_LITERAL.has(h.charAt(i))) return false;
            return true;
        }
        for (int i = 0; i < end; i++) if (!REG_NAME.has(h.charAt(i))) return false;
        return true;
    }

    private static int lastIndexOf(CharSequence s, char c) {
        for (int i = s.length() - 1; i >= 0; i--) if (s.charAt(i) == c) return i;
        return -1;
    }

    /** A set of ASCII characters as a 128-bit table. */
    private record AsciiSet(long low, long high) {
        static AsciiSet of(String chars) {
            long low = 0, high = 0;
            for (char c : chars.toCharArray()) {
                if (c < 64) low |= 1L << c;
                else high |= 1L << (c - 64);
            }
            return new AsciiSet(low, high);
        }

        boolean has(char c) { return c < 64 ? (low >>> c & 1) != 0 : c < 128 && (high >>> (c - 64) & 1) != 0; }
    }

    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** tchar (RFC 9110 §5.6.2). */
    private static final AsciiSet TOKEN = AsciiSet.of(ALNUM + "!#$%&'*+-.^_`|~");
    /** reg-name: unreserved / sub-delims / the `%` of pct-encoded (RFC 3986 §3.2.2). */
    private static final AsciiSet REG_NAME = AsciiSet.of(ALNUM + "-._~!$&'()*+,;=%");
    /** Inside `[…]`: IPv6address or IPvFuture (`v` HEXDIG `.` then unreserved / sub-delims / `:`). */
    private static final AsciiSet IP_LITERAL = AsciiSet.of(ALNUM + "-._~!$&'()*+,;=:");

    private static String describe(char c) {
        String kind = c < 0x20 || c == 0x7F ? "a control character" : c == ' ' ? "a space" : c > 0x7F ? "a non-ASCII character"
                : "the character";
        return kind + " (U+" + String.format("%04X", (int) c) + ")";
    }
}

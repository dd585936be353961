package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.runtime.BodyBudget;
import dev.manaknight.runtime.ConnectionCount;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * `serve`'s real pipeline ({@link HttpServer#initChannel}) on an EmbeddedChannel, fed raw bytes,
 * and the HTTP/1.1 responses it writes, parsed back: the table-driven tests' harness.
 */
final class Wire {
    /** One response as it went out: status, head lines (lower-case names), body. */
    record Response(int status, List<String> head, String body) {
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String h : head) if (h.toLowerCase(Locale.ROOT).startsWith(prefix)) return h.substring(prefix.length()).trim();
            return null;
        }
    }

    /** The body budget of each wire: smaller than {@link FakeApp}'s `limits.body` (64 KiB). */
    static final int BODY_BUDGET = 16 * 1024;

    private final EmbeddedChannel channel;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int consumed;

    Wire(FakeApp app) {
        channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override protected void initChannel(Channel c) {
                var connections = new ConnectionCount(16, "refused");
                var bodies = new BodyBudget(BODY_BUDGET);
                var slot = new dev.manaknight.runtime.DeploymentSlot(app.deployment);
                HttpServer.initChannel(c, slot, connections, new LingerBudget(4), bodies,
                        new ProbeAnswers(slot, new ServeMetrics(), connections, bodies), Duration.ofSeconds(60),
                        "test-warmup-token");
            }
        });
    }

    EmbeddedChannel channel() { return channel; }

    /** Feeds raw bytes (ISO-8859-1: one char, one byte) as one read. */
    Wire send(String raw) {
        channel.writeInbound(Unpooled.wrappedBuffer(raw.getBytes(StandardCharsets.ISO_8859_1)));
        return this;
    }

    /** The next response, waiting up to 5 s for the handler's virtual thread and the loop's write task. */
    Response next() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            channel.runPendingTasks();
            for (Object o; (o = channel.readOutbound()) != null; ) {
                ByteBuf b = (ByteBuf) o;
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                out.writeBytes(bytes);
            }
            Response r = parse();
            if (r != null) return r;
            assertTrue(System.nanoTime() < deadline, "no whole response within 5 s; got: " + text().substring(consumed));
            Thread.onSpinWait();
        }
    }

    /** True when nothing more was written and the channel is closed (after the pending tasks ran). */
    boolean closedWithNothingMore() {
        channel.runPendingTasks();
        return channel.readOutbound() == null && !channel.isOpen() && consumed == out.size();
    }

    private String text() { return out.toString(StandardCharsets.ISO_8859_1); }

    private Response parse() {
        String all = text();
        int end = all.indexOf("\r\n\r\n", consumed);
        if (end < 0) return null;
        String[] lines = all.substring(consumed, end).split("\r\n");
        var head = new ArrayList<>(List.of(lines).subList(1, lines.length));
        int length = contentLength(head);
        if (all.length() < end + 4 + length) return null;
        byte[] bytes = all.substring(end + 4, end + 4 + length).getBytes(StandardCharsets.ISO_8859_1);
        String body = new String(bytes, StandardCharsets.UTF_8);
        consumed = end + 4 + length;
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), head, body);
    }

    /** Reads one response from a socket's stream (by Content-Length), or null at end of stream. */
    static Response read(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) return null;
                throw new IOException("closed inside a response head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        var headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
        int length = contentLength(headers);
        byte[] body = in.readNBytes(length);
        if (body.length < length) throw new IOException("closed inside a body");
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static int contentLength(List<String> head) {
        for (String h : head)
            if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) return Integer.parseInt(h.substring(15).trim());
        return 0;
    }
}

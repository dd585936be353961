package dev.manaknight.fcgi;

import static dev.manaknight.fcgi.FcgiProtocol.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A blocking FastCGI client over a unix socket or TCP, for tests: sends raw bytes, reads records. */
final class FcgiClient implements AutoCloseable {
    private final SocketChannel ch;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final java.util.Map<Integer, List<Records.Rec>> stash = new java.util.HashMap<>();

    FcgiClient(SocketAddress addr) throws IOException {
        ch = addr instanceof UnixDomainSocketAddress ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        ch.connect(addr);
    }

    void send(byte[] b) throws IOException {
        var buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** The next record, or null at end of stream. */
    Records.Rec next() throws IOException {
        while (true) {
            byte[] b = pending.toByteArray();
            if (b.length >= 8) {
                Header h = Header.read(b, 0);
                int total = 8 + h.contentLength() + h.paddingLength();
                if (b.length >= total) {
                    pending.reset();
                    pending.write(b, total, b.length - total);
                    byte[] c = new byte[h.contentLength()];
                    System.arraycopy(b, 8, c, 0, c.length);
                    return new Records.Rec(h.type(), h.requestId(), c, h.paddingLength());
                }
            }
            var buf = ByteBuffer.allocate(65536);
            int n = ch.read(buf);
            if (n < 0) return null;
            pending.write(buf.array(), 0, n);
        }
    }

    /** A response: the STDOUT text and END_REQUEST's protocol status. */
    record Answer(String stdout, int protocolStatus) {
        String status() { return stdout.substring(8, stdout.indexOf('\r')); }

        String body() { return stdout.substring(stdout.indexOf("\r\n\r\n") + 4); }
    }

    /** Reads records of request `id` up to its END_REQUEST; null when the connection closed first. */
    Answer answer(int id) throws IOException {
        var out = new ByteArrayOutputStream();
        while (true) {
            List<Records.Rec> mine = stash.remove(id);
            Records.Rec r = mine != null && !mine.isEmpty() ? mine.removeFirst() : next();
            if (mine != null && !mine.isEmpty()) stash.put(id, mine);
            if (r == null) return null;
            if (r.id() != id) {
                stash.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r); // another request's: kept for its answer()
                continue;
            }
            if (r.type() == FCGI_STDOUT) out.writeBytes(r.content());
            if (r.type() == FCGI_END_REQUEST) return new Answer(out.toString(StandardCharsets.UTF_8), r.content()[4]);
        }
    }

    /** True when the server closed the connection (reads end of stream) within the socket's patience. */
    boolean closedByPeer() throws IOException {
        try {
            return next() == null;
        } catch (IOException e) {
            return true;
        }
    }

    @Override public void close() throws IOException { ch.close(); }
}

package dev.manaknight.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17: a connection waiting in the kernel's accept queue when a stopping server closed its
 * listener was reset under the request its client had sent (nginx: "Connection reset by peer
 * while reading response header", a 502 it cannot retry for a POST; ClusterTest saw it in a
 * rolling restart). The acceptor is held busy so that connections queue, exactly as under load;
 * the gate must keep them for the acceptor while new attempts go unanswered.
 */
class ListenerGateTest {
    @Test @Timeout(60)
    void queuedConnectionsAreAcceptedAndNewOnesGoUnansweredOnceTheGateIsShut() throws Exception {
        var q = Queued.three();
        var endpoint = q.endpoint; var hold = q.hold; var accepted = q.accepted; var clients = q.clients;
        var listener = endpoint.listener(); int port = q.port;
        try {

            assertTrue(ListenerGate.shut(listener), "the filter is attached");
            var late = new Socket();
            assertThrows(SocketTimeoutException.class, () -> late.connect(new InetSocketAddress("127.0.0.1", port), 300),
                    "a new attempt is not answered once the gate is shut");
            late.close();
            assertEquals(3, ListenerGate.queued(listener), "the queued connections are still there");

            hold.countDown();
            await(() -> accepted.get() == 3 && ListenerGate.queued(listener) == 0, "the acceptor to take all three");
            endpoint.closeListener();
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "closed: refused");
            for (Socket s : clients) assertFalse(resetWithin(s, 200), "a queued connection was reset");
        } finally {
            hold.countDown();
            for (Socket s : clients) s.close();
            endpoint.close();
        }
    }

    @Test @Timeout(60)
    void closeListenerLetsTheAcceptorTakeWhatIsQueuedBeforeItCloses() throws Exception {
        var q = Queued.three();
        var endpoint = q.endpoint; var hold = q.hold; var accepted = q.accepted; var clients = q.clients;
        var listener = endpoint.listener(); int port = q.port;
        try {
            var closer = Thread.ofPlatform().start(endpoint::closeListener);
            // closeListener waits for the queue while the acceptor is held, and does not close.
            // A probe that connects before the gate is shut joins the queue: it is counted.
            var probes = new AtomicInteger();
            // One probe per 50 ms at most: a tighter loop would fill the accept queue by itself.
            await(() -> isShut(port, probes) || pause(50), "closeListener to shut the gate");
            assertTrue(closer.isAlive(), "closeListener waits for the queued connections");
            hold.countDown();
            closer.join(10_000);
            assertFalse(closer.isAlive(), "closeListener returned");
            assertEquals(3 + probes.get(), accepted.get(), "every queued connection was accepted, none reset");
            for (Socket s : clients) assertFalse(resetWithin(s, 200), "a queued connection was reset");
        } finally {
            hold.countDown();
            for (Socket s : clients) s.close();
            endpoint.close();
        }
    }

    /** An endpoint whose acceptor is held busy, with three connections (each with a request sent) in its queue. */
    private record Queued(Endpoint endpoint, CountDownLatch hold, AtomicInteger accepted, ArrayList<Socket> clients, int port) {
        static Queued three() throws Exception {
            // epoll: a held loop accepts nothing. io_uring's kernel may complete an accept already
            // submitted while the loop is held, which empties the queue under the test.
            Transport transport = Transport.choose("epoll");
            assumeTrue(transport == Transport.EPOLL, "the gate needs a native transport; this test, epoll");
            var accepted = new AtomicInteger();
            Endpoint endpoint = Endpoint.bind(transport, 2, new InetSocketAddress("127.0.0.1", 0), false,
                    c -> accepted.incrementAndGet());
            var q = new Queued(endpoint, new CountDownLatch(1), accepted, new ArrayList<>(),
                    ((InetSocketAddress) endpoint.listener().localAddress()).getPort());
            var holding = new CountDownLatch(1);
            endpoint.listener().eventLoop().execute(() -> { // the acceptor is busy: connections queue
                holding.countDown();
                awaitQuietly(q.hold);
            });
            // Connect only once it holds: an accept handled before the task would leave fewer queued.
            if (!holding.await(10, TimeUnit.SECONDS)) throw new AssertionError("the acceptor never ran the holding task");
            for (int i = 0; i < 3; i++) q.clients.add(connectAndSend(q.port));
            await(() -> ListenerGate.queued(endpoint.listener()) == 3, "three connections in the accept queue");
            return q;
        }
    }

    private static boolean isShut(int port, AtomicInteger connected) {
        try (var probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 100);
            connected.incrementAndGet();
            return false;
        } catch (IOException e) {
            return e instanceof SocketTimeoutException;
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static Socket connectAndSend(int port) throws IOException {
        var s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** True when the server reset the connection: a read fails (a clean end of stream is not a reset). */
    private static boolean resetWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            s.getInputStream().read();
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("waited 10 s for " + what);
            Thread.sleep(5);
        }
    }
}

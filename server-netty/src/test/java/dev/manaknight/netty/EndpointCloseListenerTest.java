package dev.manaknight.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17: a connection the kernel accepted just before the listener closed must be registered
 * (and so counted, and told to drain) by the time {@link Endpoint#closeListener} returns. It used
 * to be still a task on its event loop then: the drain counted the connections without it, could
 * end at once, and closing the loops closed it under the request it had brought (a 502 from nginx).
 *
 * <p>Made deterministic by holding both I/O loops busy (two connections whose set-up waits on a
 * latch) while a third connection is accepted: its registration is queued behind them. The loops
 * are let go only once `closeListener` has queued its own task behind that registration; the code
 * before the fix returned without waiting, leaving the third connection uncounted.
 */
class EndpointCloseListenerTest {
    @Test @Timeout(30)
    void aConnectionAcceptedBeforeTheCloseIsRegisteredWhenCloseListenerReturns() throws Exception {
        var hold = new CountDownLatch(1);
        var held = new CopyOnWriteArrayList<EventLoop>();
        Endpoint endpoint = Endpoint.bind(Transport.NIO, 2, new InetSocketAddress("127.0.0.1", 0), false, c -> {
            if (held.size() < 2) {
                held.add(c.eventLoop());
                try {
                    hold.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        var clients = new ArrayList<Socket>();
        try {
            int port = ((InetSocketAddress) endpoint.listener().localAddress()).getPort();
            clients.add(connect(port));
            await(() -> held.size() == 1, "the first connection to hold its loop");
            clients.add(connect(port));
            await(() -> held.size() == 2, "the second connection to hold the other loop");
            assertNotSame(held.get(0), held.get(1), "the two connections hold both I/O loops");
            assertEquals(2, endpoint.openConnections());

            clients.add(connect(port));
            // The acceptor handles an accept it has woken for before a task queued after it: once
            // this task ran, the third connection is accepted and its registration is queued.
            endpoint.listener().eventLoop().submit(() -> { }).sync();
            List<SingleThreadEventExecutor> loops = held.stream().map(l -> (SingleThreadEventExecutor) l).toList();
            int queued = loops.stream().mapToInt(SingleThreadEventExecutor::pendingTasks).sum();
            assertEquals(1, queued, "the third connection's registration waits behind a held loop");

            var closer = Thread.ofPlatform().start(endpoint::closeListener);
            // Let the loops go once closeListener queued a task of its own on each (the fix), or
            // once it returned without (before the fix): then the registration has not run yet.
            await(() -> !closer.isAlive() || loops.stream().mapToInt(SingleThreadEventExecutor::pendingTasks).sum() >= 2,
                    "closeListener to return or to wait on the loops");
            int countedWhenReturned = closer.isAlive() ? -1 : endpoint.openConnections();
            hold.countDown();
            closer.join(10_000);
            if (countedWhenReturned < 0) countedWhenReturned = endpoint.openConnections();
            assertEquals(3, countedWhenReturned, "every accepted connection is registered when closeListener returns");
            assertTrue(!endpoint.listener().isOpen(), "the listener is closed");
        } finally {
            hold.countDown();
            for (Socket s : clients) s.close();
            endpoint.close();
        }
    }

    private static Socket connect(int port) throws Exception {
        var s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("waited 10 s for " + what);
            Thread.sleep(5);
        }
    }
}

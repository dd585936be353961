package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 12, item 9: at the limit, the connection idle longest makes room; none younger than MIN_IDLE. */
class ConnectionCountTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final ConnectionCount count = new ConnectionCount(3, "answered 503", now::get);

    /** A connection that records whether it was shed; it refuses once it is busy. */
    private static final class Conn implements ConnectionCount.Sheddable {
        final AtomicBoolean busy = new AtomicBoolean();
        final InetAddress client;
        boolean shed;

        Conn(InetAddress client) { this.client = client; }

        @Override public InetAddress client() { return client; }

        @Override public boolean shed() {
            if (busy.get()) return false;
            shed = true;
            return true;
        }
    }

    private Conn open() {
        assertTrue(count.enter());
        var c = new Conn(null);
        count.idle(c);
        return c;
    }

    private void advance(long millis) { now.addAndGet(millis * 1_000_000); }

    @Test void theOldestIdleConnectionMakesRoom() {
        Conn a = open();
        advance(100);
        Conn b = open();
        advance(100);
        Conn c = open();
        advance(ConnectionCount.MIN_IDLE.toMillis());
        assertTrue(count.enter(), "full, but a has waited longest");
        assertTrue(a.shed);
        assertFalse(b.shed || c.shed);
        assertEquals(1, count.shed());
    }

    @Test void noneThatWaitedLessThanMinIdleIsShed() {
        open();
        open();
        open();
        advance(ConnectionCount.MIN_IDLE.toMillis() - 1);
        assertFalse(count.enter(), "each may be about to send: the newcomer is refused");
        assertEquals(1, count.refused());
        advance(1);
        assertTrue(count.enter(), "at MIN_IDLE one may go");
    }

    @Test void aBusyConnectionIsNeverShedAndAnIdleAgainOneIsYoungAgain() {
        List<Conn> conns = new ArrayList<>(List.of(open(), open(), open()));
        advance(5_000);
        for (Conn c : conns) {
            c.busy.set(true);
            count.busy(c);
        }
        assertFalse(count.enter(), "every connection runs a request");
        conns.getFirst().busy.set(false);
        count.idle(conns.getFirst()); // just answered: waiting again from now
        assertFalse(count.enter());
        advance(ConnectionCount.MIN_IDLE.toMillis());
        assertTrue(count.enter());
        assertTrue(conns.getFirst().shed);
    }

    @Test void aConnectionThatTurnsBusyAsItIsChosenIsPassedOver() {
        Conn a = open();
        Conn b = open();
        open();
        advance(ConnectionCount.MIN_IDLE.toMillis());
        a.busy.set(true); // a request arrived, but its handler has not told the count yet
        assertTrue(count.enter());
        assertFalse(a.shed);
        assertTrue(b.shed, "the next oldest went instead");
    }

    // ---- one client churning young idle connections (issue 12, item 9: 5 of 807 neighbour requests refused) ----

    private final ConnectionCount table = new ConnectionCount(8, "answered 503", now::get);

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final InetAddress A = ip("127.0.0.1");
    private static final InetAddress B = ip("127.0.0.2");
    private static final InetAddress C = ip("127.0.0.3");
    private static final InetAddress D = ip("127.0.0.4");
    private static final InetAddress E = ip("127.0.0.5");

    /** Opens connections for each client in turn, all idle from now: the table of 8 fills with young ones. */
    private List<Conn> fill(InetAddress... clients) {
        var conns = new ArrayList<Conn>();
        for (InetAddress client : clients) {
            assertTrue(table.enter(client));
            var c = new Conn(client);
            table.idle(c);
            conns.add(c);
        }
        return conns;
    }

    private static long shedCount(List<Conn> conns) { return conns.stream().filter(c -> c.shed).count(); }

    @Test void aClientOneOverItsShareMakesRoomForAnotherHoweverYoungItsConnections() {
        assertEquals(2, table.fairShare(), "a quarter of 8");
        List<Conn> conns = fill(A, B, A, C, B, A, C, D); // A 3, B 2, C 2, D 1: none idle for MIN_IDLE
        advance(ConnectionCount.MIN_IDLE.toMillis() - 1);
        assertTrue(table.enter(E), "issue 12: A holds more than its share, E gets in");
        assertTrue(conns.get(0).shed, "A's connection idle longest made room");
        assertEquals(1, shedCount(conns));
        assertEquals(0, table.refused());
    }

    @Test void atItsShareNoClientIsMadeToMakeRoom() {
        List<Conn> conns = fill(A, B, C, D, A, B, C, D); // 2 each: exactly the share
        assertFalse(table.enter(E), "issue 12: at the share, young connections stay and the newcomer is refused");
        assertEquals(0, shedCount(conns));
        assertEquals(1, table.refused());
    }

    @Test void theHogsOwnNewcomerIsRefusedAsBefore() {
        List<Conn> conns = fill(A, A, A, A, A, A, A, A); // one address holds all: a load balancer's
        assertFalse(table.enter(A), "issue 12: a client cannot push out its own young connections");
        assertEquals(0, shedCount(conns));
        advance(ConnectionCount.MIN_IDLE.toMillis());
        assertTrue(table.enter(A), "at MIN_IDLE its oldest makes room, as for everyone");
        assertTrue(conns.get(0).shed);
    }

    @Test void aNewcomerOfAClientHoldingAsManyAsTheHogIsRefused() {
        List<Conn> conns = fill(A, B, A, B, A, B, C, D); // A 3, B 3
        assertFalse(table.enter(B), "issue 12: B holds as many as A: neither gives way to the other");
        assertEquals(0, shedCount(conns));
        assertTrue(table.enter(C), "C holds fewer: A or B makes room");
        assertEquals(1, shedCount(conns));
        assertTrue(conns.get(0).shed || conns.get(1).shed, "the hog's connection idle longest");
    }

    @Test void aHogWithNoIdleConnectionMakesNoRoom() {
        List<Conn> conns = fill(A, A, A, B, B, C, C, D);
        for (Conn c : conns.subList(0, 3)) {
            c.busy.set(true);
            table.busy(c);
        }
        assertFalse(table.enter(E), "issue 12: a connection running a request is never shed");
        assertEquals(0, shedCount(conns));
    }

    @Test void aConnectionIdleForMinIdleStillGoesFirst() {
        List<Conn> conns = fill(D);
        advance(ConnectionCount.MIN_IDLE.toMillis());
        conns.addAll(fill(A, A, A, B, B, C, C));
        assertTrue(table.enter(E));
        assertTrue(conns.get(0).shed, "issue 12: D's connection waited MIN_IDLE: it goes, as before");
        assertEquals(1, shedCount(conns));
    }

    @Test void aClientBackAtItsShareIsNoLongerMadeToMakeRoom() {
        List<Conn> conns = fill(A, B, A, C, B, A, C, D); // A 3
        Conn a = conns.get(5);
        a.busy.set(true);
        table.busy(a);
        table.leave(A); // A 2
        fill(D); // full again, 2 each
        assertFalse(table.enter(E), "issue 12: A left the over-share set when it fell to its share");
        assertEquals(0, shedCount(conns));
    }

    @Test void aClientIsForgottenWhenItsLastConnectionCloses() {
        fill(A, A, B);
        assertEquals(2, table.openOf(A));
        assertEquals(2, table.clients());
        table.leave(A);
        assertEquals(1, table.openOf(A));
        table.leave(A);
        assertEquals(0, table.openOf(A));
        assertEquals(1, table.clients(), "issue 12: no entry kept for a client with no connection");
        table.leave(B);
        assertEquals(0, table.clients());
        assertEquals(0, table.open());
        assertTrue(table.enter());
        assertEquals(0, table.clients(), "a connection of no known address is not counted per client");
    }

    @Test void aClientIsAnIpv4AddressOrAnIpv6Slash64AndNothingElse() {
        assertEquals(A, ConnectionCount.clientOf(new InetSocketAddress(A, 40_000)));
        assertEquals(ConnectionCount.clientOf(new InetSocketAddress(ip("2001:db8::1"), 1)),
                ConnectionCount.clientOf(new InetSocketAddress(ip("2001:db8::ffff:2"), 2)), "issue 12: one /64, one client");
        assertNotEquals(ConnectionCount.clientOf(new InetSocketAddress(ip("2001:db8::1"), 1)),
                ConnectionCount.clientOf(new InetSocketAddress(ip("2001:db8:0:1::1"), 1)));
        byte[] mapped = new byte[16]; // ::ffff:127.0.0.2, as a dual-stack socket may give it
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 2;
        InetAddress v6 = assertDoesNotThrow(() -> Inet6Address.getByAddress(null, mapped, -1));
        assertEquals(B, ConnectionCount.clientOf(new InetSocketAddress(v6, 1)), "not the /64 every IPv4 client shares");
        assertNull(ConnectionCount.clientOf(new SocketAddress() { }), "a unix socket's peer is no one in particular");
        assertNull(ConnectionCount.clientOf(null));
    }
}

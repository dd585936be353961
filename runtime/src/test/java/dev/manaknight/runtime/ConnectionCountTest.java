package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        boolean shed;

        @Override public boolean shed() {
            if (busy.get()) return false;
            shed = true;
            return true;
        }
    }

    private Conn open() {
        assertTrue(count.enter());
        var c = new Conn();
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
}

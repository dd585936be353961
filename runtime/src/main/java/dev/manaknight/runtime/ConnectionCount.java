package dev.manaknight.runtime;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's open connections against its {@link ConnectionLimit}: those let in, those turned
 * away (said in the log at most every 10 s), and those a server closed for idleness. One per
 * server, shared by its connections; `fpm` shows the numbers on its status page.
 *
 * <p>A connection that waits for a request may register itself as {@link Sheddable}. When the
 * table is full, a new connection then takes the place of an idle one, which is closed, instead
 * of being turned away: one client holding every slot with idle connections (10,000 of them, each
 * kept until the idle timeout) no longer locks every other client out (issue 12). The one idle
 * longest goes first, and none that has waited less than {@link #MIN_IDLE}: a client that has
 * just connected, or just had its answer, is about to send. A connection with a request being
 * read or run is never shed. Until a shed connection has closed, the count
 * is one over the limit.
 *
 * <p>Connections are also counted per client ({@link #clientOf}: the remote address, an IPv6 one
 * by its /64). When the table is full and no connection has waited {@link #MIN_IDLE}, a client
 * that holds more than a quarter of the table ({@link #fairShare}) and more than the newcomer's
 * own client gives up its connection idle longest, however young: otherwise one client that
 * re-opens each idle connection the server closes (600 of them against 512 places, every 200 ms)
 * keeps every place young and every other client out (issue 12). A newcomer from that client
 * itself is refused as before: behind a load balancer, where every connection has one address,
 * nothing changes. Below the limit a connection costs one atomic increment and one update of its
 * client's count ({@link ClientCounts}); the client holding the most is looked for only at a full
 * table.
 */
public final class ConnectionCount {
    /** A connection the server may close to make room for a new one. */
    public interface Sheddable {
        /**
         * Closes this connection if it still waits for a request (nothing read or running), from
         * any thread; false, touching nothing, when it no longer does.
         */
        boolean shed();

        /** Whose connection this is ({@link #clientOf}); null when that is not known (a unix socket). */
        InetAddress client();
    }

    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    private final int max;
    private final String refusal;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final LongAdder shed = new LongAdder();
    /** How long a connection must have waited before it may be shed. */
    public static final java.time.Duration MIN_IDLE = java.time.Duration.ofSeconds(1);

    /** One idle connection, ordered by how long it has waited, then by arrival. */
    private record Idle(long since, long seq, Sheddable connection, InetAddress client) implements Comparable<Idle> {
        @Override public int compareTo(Idle o) {
            int c = Long.compare(since, o.since);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final Map<Sheddable, Idle> idleEntries = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<Idle> idle = new ConcurrentSkipListSet<>();
    private final AtomicLong seq = new AtomicLong();
    private final java.util.function.LongSupplier clock;
    private final LogThrottle refusals = new LogThrottle(Duration.ofSeconds(10));
    private final LogThrottle hogs = new LogThrottle(Duration.ofSeconds(10));
    private final ClientCounts clients;

    /**
     * @param max     connections open at once
     * @param refusal what happens to a connection past it, for the log ("closed at once")
     */
    public ConnectionCount(int max, String refusal) { this(max, refusal, System::nanoTime); }

    /** @param clock nanoseconds, for {@link #MIN_IDLE} (tests move it by hand) */
    ConnectionCount(int max, String refusal, java.util.function.LongSupplier clock) {
        this.max = max;
        this.refusal = refusal;
        this.clock = clock;
        this.clients = new ClientCounts(max / 4);
    }

    /**
     * Whose a connection from {@code remote} is: its IP address, an IPv6 one cut to its /64 (one
     * host or network is given a whole /64, so each of its addresses is not a client of its own)
     * unless it is an IPv4 address mapped into IPv6 (a dual-stack socket's), which is that IPv4
     * address; null for any other kind of address (a unix socket), all of whose connections are
     * one client.
     */
    public static InetAddress clientOf(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) return null;
        InetAddress a = inet.getAddress();
        if (!(a instanceof Inet6Address)) return a;
        try {
            byte[] bytes = a.getAddress();
            InetAddress plain = InetAddress.getByAddress(bytes); // a mapped IPv4 address comes back as one
            if (!(plain instanceof Inet6Address)) return plain;
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are an IPv6 address
        }
    }

    /**
     * How many connections one client may hold before, at a full table, its idle ones make room
     * for other clients however young they are: a quarter of the table. More than three clients
     * cannot be over it at once, and a client with many connections of its own (a proxy, a pool)
     * keeps them until the table is full and someone else needs a place.
     */
    int fairShare() { return clients.fairShare(); }

    /** Counts a new connection of one client (a unix socket's); see {@link #enter(InetAddress)}. */
    public boolean enter() { return enter(null); }

    /**
     * Counts a new connection of {@code client} ({@link #clientOf}, may be null) in; when `max`
     * are open already, closes an idle one to make room, else returns false, counted as refused.
     */
    public boolean enter(InetAddress client) {
        if (open.incrementAndGet() <= max || makeRoom(client)) {
            accepted.increment();
            if (client != null) clients.enter(client);
            return true;
        }
        open.decrementAndGet();
        refused.increment();
        if (refusals.due())
            LOG.warn("{} connections open, the server.max_connections limit: new ones are {} ({} so far)",
                    max, refusal, refused.sum());
        return false;
    }

    /**
     * Closes an idle connection for a newcomer of {@code client} at a full table: the one idle
     * longest if it waited {@link #MIN_IDLE}, else the one idle longest of the client that holds
     * the most, if that is more than its fair share and more than {@code client} holds.
     */
    private boolean makeRoom(InetAddress client) {
        long now = clock.getAsLong();
        for (Idle e : idle) {
            if (now - e.since() < MIN_IDLE.toNanos()) break; // the rest waited less still
            if (take(e)) return true;
        }
        InetAddress hog = clients.hogAgainst(client);
        if (hog == null) return false;
        for (Idle e : idle) { // at most every idle connection, and only at a full table
            if (hog.equals(e.client()) && take(e)) {
                if (hogs.due())
                    LOG.warn("{} holds {} of the {} connections (server.max_connections): its idle ones make room for"
                            + " other clients", hog.getHostAddress() + (hog instanceof Inet6Address ? "/64" : ""),
                            clients.of(hog), max);
                return true;
            }
        }
        return false;
    }

    /** Sheds `e` if it is still idle: true when it is being closed and its place is taken. */
    private boolean take(Idle e) {
        if (idle.remove(e) && idleEntries.remove(e.connection(), e) && e.connection().shed()) {
            shed.increment(); // the shed one's leave() follows when it has closed
            return true;
        }
        return false;
    }

    /** A connection that {@link #enter()} let in has closed. */
    public void leave() { leave(null); }

    /** A connection of {@code client} that {@link #enter(InetAddress)} let in has closed. */
    public void leave(InetAddress client) {
        if (client != null) clients.leave(client);
        open.decrementAndGet();
    }

    /** Open connections of {@code client}; 0 once its last has closed. */
    int openOf(InetAddress client) { return clients.of(client); }

    /** Clients with a connection open (those {@link #enter(InetAddress)} was told of). */
    int clients() { return clients.size(); }

    /** `c` waits for a request: it may be shed to make room. */
    public void idle(Sheddable c) {
        var e = new Idle(clock.getAsLong(), seq.incrementAndGet(), c, c.client());
        Idle old = idleEntries.put(c, e);
        if (old != null) idle.remove(old);
        idle.add(e);
    }

    /** `c` reads or runs a request, or has closed: it may not be shed. */
    public void busy(Sheddable c) {
        Idle e = idleEntries.remove(c);
        if (e != null) idle.remove(e);
    }

    /** Idle connections closed to make room for new ones. */
    public long shed() { return shed.sum(); }

    /** A connection the server closed because it stayed idle too long (`serve`'s idle_timeout). */
    public void closedIdle() { idleClosed.increment(); }

    public int max() { return max; }

    public int open() { return open.get(); }

    public long accepted() { return accepted.sum(); }

    public long refused() { return refused.sum(); }

    public long idleClosed() { return idleClosed.sum(); }
}

package dev.manaknight.runtime;

import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per client, and which clients hold more than their fair share of the table:
 * the part of {@link ConnectionCount} that keeps one client from holding every place. A client's
 * entry goes when its last connection closes.
 */
final class ClientCounts {
    private final int fairShare;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /**
     * The clients holding more than {@link #fairShare}, kept as each count crosses it (one
     * client's updates are serialised by the map), so that a full table need not scan every client.
     */
    private final Set<InetAddress> overShare = ConcurrentHashMap.newKeySet();

    /** @param fairShare connections one client may hold before it must make room for others */
    ClientCounts(int fairShare) { this.fairShare = fairShare; }

    int fairShare() { return fairShare; }

    void enter(InetAddress client) {
        open.compute(client, (k, n) -> {
            int now = n == null ? 1 : n + 1;
            if (now == fairShare + 1) overShare.add(k);
            return now;
        });
    }

    void leave(InetAddress client) {
        open.computeIfPresent(client, (k, n) -> {
            if (n == fairShare + 1) overShare.remove(k);
            return n == 1 ? null : n - 1;
        });
    }

    /** Open connections of {@code client}; 0 once its last has closed, and for null. */
    int of(InetAddress client) { return client == null ? 0 : open.getOrDefault(client, 0); }

    /** Clients with a connection open. */
    int size() { return open.size(); }

    /**
     * The client that must make room for a newcomer of {@code newcomer} (may be null): the one
     * holding the most, if that is more than the fair share and more than the newcomer's own
     * holds; else null. Looks only at the clients over the share: with a quarter of the table,
     * at most three (a few more while shed connections close).
     */
    InetAddress hogAgainst(InetAddress newcomer) {
        InetAddress hog = null;
        int most = of(newcomer);
        for (InetAddress c : overShare) {
            int n = of(c);
            if (n > most && n > fairShare) {
                hog = c;
                most = n;
            }
        }
        return hog;
    }
}

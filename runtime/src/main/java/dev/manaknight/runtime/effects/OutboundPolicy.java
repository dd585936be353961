package dev.manaknight.runtime.effects;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where an outbound call may go (`http.allowed_hosts`, `http.allow_private`): the URL's own
 * scheme, host and port must be one of the allowed origins (the authority comes from the app's
 * URL, never from a header of the request being served), and every address its host resolves to
 * must be public unless private addresses are allowed.
 */
public record OutboundPolicy(List<Origin> allowed, boolean allowPrivate) {
    public OutboundPolicy { allowed = List.copyOf(allowed); }

    /** From the configuration's strings, each already checked by {@link Origin#invalid}. */
    public static OutboundPolicy of(List<String> origins, boolean allowPrivate) {
        return new OutboundPolicy(origins.stream().map(Origin::parse).toList(), allowPrivate);
    }

    /** `scheme://host:port`, lower case, the port explicit. */
    public record Origin(String scheme, String host, int port) {
        /** Why `text` is no `http://` or `https://` origin, or null when it is one. */
        public static String invalid(String text) {
            URI u;
            try {
                u = new URI(text);
            } catch (java.net.URISyntaxException e) {
                return e.getReason();
            }
            if (u.getScheme() == null || !List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT)))
                return "the scheme must be http or https";
            if (u.getHost() == null) return "no host";
            if (u.getRawUserInfo() != null) return "no user info";
            if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) return "no path";
            if (u.getRawQuery() != null || u.getRawFragment() != null) return "no query or fragment";
            return null;
        }

        static Origin parse(String text) {
            return of(URI.create(text));
        }

        /** The origin of an absolute http(s) URL. */
        static Origin of(URI u) {
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
            return new Origin(scheme, bare(u.getHost()).toLowerCase(Locale.ROOT), port);
        }

        @Override public String toString() {
            return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** An IPv6 literal's host without its brackets. */
    static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Why `url` may not be called, or null when its origin is allowed. */
    public String refusal(URI url) {
        if (url.getScheme() == null || !List.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT)))
            return "`" + url + "` is not an absolute http or https URL";
        if (url.getHost() == null) return "`" + url + "` has no host";
        if (url.getRawUserInfo() != null) return "`" + url + "` carries user info; send credentials in a header";
        Origin o = Origin.of(url);
        if (allowed.contains(o)) return null;
        return o + " is not in http.allowed_hosts" + (allowed.isEmpty() ? ", which allows no host" : "");
    }

    /**
     * Why the host may not be reached at these addresses, or null: each must be public unless
     * `allowPrivate`. All are checked, since a connection may try any of them.
     */
    public String refusal(String host, List<InetAddress> addresses) {
        if (allowPrivate) return null;
        for (InetAddress a : addresses)
            if (!isPublic(a)) return host + " resolves to " + a.getHostAddress()
                    + ", a loopback, private or link-local address, which http.allow_private does not allow";
        return null;
    }

    /**
     * False for addresses a public service does not have: unspecified, loopback, link-local,
     * site-local (10/8, 172.16/12, 192.168/16), shared (100.64/10), multicast, IPv6 unique-local
     * (fc00::/7), and IPv4-mapped or -compatible forms of those.
     */
    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) return false;
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xFF, second = b[1] & 0xFF;
            if (first == 0) return false;                                    // "this network"
            if (first == 100 && (second & 0xC0) == 64) return false;         // 100.64/10, carrier-grade NAT
            if (first == 192 && second == 0 && (b[2] & 0xFF) == 0) return false; // 192.0.0/24, protocol assignments
            return first < 240;                                              // 240/4 reserved, broadcast
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xFE) == 0xFC) return false;                         // fc00::/7, unique local
            boolean zeros = true;
            for (int i = 0; i < 10; i++) zeros &= b[i] == 0;
            boolean mapped = zeros && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
            boolean compatible = zeros && b[10] == 0 && b[11] == 0;
            if (mapped || compatible) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (java.net.UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }
}

package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 9: which URLs and addresses an outbound call may reach. The origin is the URL's
 * own scheme, host and port (never a header's); every address a host resolves to must be public
 * unless `http.allow_private`, including the IPv4-mapped spelling of a private one.
 */
class OutboundPolicyTest {
    private final OutboundPolicy policy = OutboundPolicy.of(List.of("https://api.example.com", "http://10.0.0.5:8080"), false);

    @Test void onlyAnAllowedOriginMayBeCalled() {
        assertNull(policy.refusal(URI.create("https://api.example.com/v1/charges?x=1")));
        assertNull(policy.refusal(URI.create("https://API.Example.com:443/")), "case and the default port do not matter");
        assertNull(policy.refusal(URI.create("http://10.0.0.5:8080/hook")));
        assertEquals("http://api.example.com:80 is not in http.allowed_hosts",
                policy.refusal(URI.create("http://api.example.com/")));
        assertEquals("https://api.example.com:8443 is not in http.allowed_hosts",
                policy.refusal(URI.create("https://api.example.com:8443/")));
        assertEquals("https://evil.example.com:443 is not in http.allowed_hosts",
                policy.refusal(URI.create("https://evil.example.com/")));
        assertEquals("https://api.example.com.evil.com:443 is not in http.allowed_hosts",
                policy.refusal(URI.create("https://api.example.com.evil.com/")));
        assertTrue(policy.refusal(URI.create("https://user:pw@api.example.com/")).contains("carries user info"));
        assertTrue(policy.refusal(URI.create("ftp://api.example.com/")).contains("not an absolute http or https URL"));
        assertTrue(policy.refusal(URI.create("/relative")).contains("not an absolute http or https URL"));
        assertEquals("https://a.example:443 is not in http.allowed_hosts, which allows no host",
                OutboundPolicy.of(List.of(), false).refusal(URI.create("https://a.example/")));
    }

    @Test void originsInTheConfigurationAreSchemeHostAndPortOnly() {
        assertNull(OutboundPolicy.Origin.invalid("https://api.example.com"));
        assertNull(OutboundPolicy.Origin.invalid("http://127.0.0.1:9000/"));
        assertNull(OutboundPolicy.Origin.invalid("http://[::1]:9000"));
        assertEquals("the scheme must be http or https", OutboundPolicy.Origin.invalid("api.example.com"));
        assertEquals("no path", OutboundPolicy.Origin.invalid("https://api.example.com/v1"));
        assertEquals("no user info", OutboundPolicy.Origin.invalid("https://u@api.example.com"));
        assertEquals("no query or fragment", OutboundPolicy.Origin.invalid("https://api.example.com?x"));
    }

    @Test void privateLoopbackAndLinkLocalAddressesAreRefused() throws Exception {
        for (String a : List.of("127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255",
                "192.0.0.8", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                "::ffff:169.254.169.254", "ff02::1")) {
            assertEquals(false, OutboundPolicy.isPublic(InetAddress.getByName(a)), a);
            String why = policy.refusal("h", List.of(InetAddress.getByName(a)));
            assertTrue(why.contains("a loopback, private or link-local address"), a);
        }
        for (String a : List.of("8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.0.1", "172.32.0.1",
                "192.0.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"))
            assertEquals(true, OutboundPolicy.isPublic(InetAddress.getByName(a)), a);
    }

    @Test void everyResolvedAddressIsChecked() throws Exception {
        var both = List.of(InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.1"));
        assertEquals("h resolves to 10.0.0.1, a loopback, private or link-local address, which http.allow_private does not allow",
                policy.refusal("h", both));
        assertNull(policy.refusal("h", List.of(InetAddress.getByName("8.8.8.8"))));
        assertNull(OutboundPolicy.of(List.of(), true).refusal("h", both), "allowed explicitly");
    }
}

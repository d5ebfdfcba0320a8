package io.userhub.shared.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Where userhub may send a request on a customer's behalf (a webhook endpoint): HTTPS to a public
 * address. Every address the host resolves to must be public; private (RFC 1918, unique local),
 * loopback, link-local (with the cloud metadata address 169.254.169.254 and fd00:ec2::254),
 * carrier-grade NAT, unspecified, multicast and reserved addresses are refused. For local use
 * ({@code ./run-local}) plain HTTP to the loopback interface is allowed, and loopback addresses
 * are. The check runs when an endpoint is configured and again before each delivery, so a name
 * that resolves elsewhere later (DNS rebinding) is caught; the JVM caches a lookup (30 s), so the
 * connection made right after the check uses the address the check saw.
 */
public final class OutboundUrls {
    private OutboundUrls() {}

    public enum Refusal { MALFORMED, NOT_HTTPS, CREDENTIALS_IN_URL, UNRESOLVABLE, PRIVATE_ADDRESS }

    /** Name resolution, the system's in production; tests hand in their own. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    public static final Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** Why the URL may not be called, or empty when it may. */
    public static Optional<Refusal> refusal(String url, boolean localUse, Resolver resolver) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException | NullPointerException malformed) {
            return Optional.of(Refusal.MALFORMED);
        }
        String host = uri.getHost();
        if (host == null || uri.getScheme() == null || uri.getRawFragment() != null) {
            return Optional.of(Refusal.MALFORMED);
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of(Refusal.CREDENTIALS_IN_URL);
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !(localUse && scheme.equals("http"))) {
            return Optional.of(Refusal.NOT_HTTPS);
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bareHost(uri));
        } catch (UnknownHostException unknown) {
            return Optional.of(Refusal.UNRESOLVABLE);
        }
        if (addresses.isEmpty()) {
            return Optional.of(Refusal.UNRESOLVABLE);
        }
        for (InetAddress address : addresses) {
            if (!reachable(address, localUse)) {
                return Optional.of(Refusal.PRIVATE_ADDRESS);
            }
            if (scheme.equals("http") && !address.isLoopbackAddress()) {
                return Optional.of(Refusal.NOT_HTTPS);
            }
        }
        return Optional.empty();
    }

    /** A URI's host as a resolver takes it: an IPv6 literal without its brackets. */
    public static String bareHost(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether userhub may connect to the address: a public one, or for local use the loopback interface. */
    public static boolean reachable(InetAddress address, boolean localUse) {
        return (localUse && address.isLoopbackAddress()) || isPublic(address);
    }

    /** Whether every address the host resolves to now is {@link #reachable}; false when it does not resolve. */
    public static boolean resolvesOnlyToReachable(String host, boolean localUse, Resolver resolver) {
        try {
            List<InetAddress> addresses = resolver.resolve(host);
            return !addresses.isEmpty() && addresses.stream().allMatch(address -> reachable(address, localUse));
        } catch (UnknownHostException unknown) {
            return false;
        }
    }

    /** A globally routable unicast address. */
    public static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return !(first == 0                                      // "this network"
                    || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19))   // benchmarking
                    || first >= 240);                                 // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7, with AWS's metadata address fd00:ec2::254
            }
            if (isMappedOrCompatibleIpv4(b)) {
                return embeddedIpv4IsPublic(b, 12);
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x02) {
                return embeddedIpv4IsPublic(b, 2); // 6to4 2002::/16 reaches the IPv4 address it carries
            }
            boolean teredo = b[2] == 0 && b[3] == 0;
            boolean documentation = (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8;
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (teredo || documentation)) {
                return false; // Teredo 2001::/32 (a tunnel to an address it hides) and documentation 2001:db8::/32
            }
            return (first & 0xe0) == 0x20; // global unicast 2000::/3
        }
        return false;
    }

    private static boolean embeddedIpv4IsPublic(byte[] b, int from) {
        try {
            return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, from, from + 4)));
        } catch (UnknownHostException impossible) {
            return false;
        }
    }

    /** ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64) carry an IPv4 address that decides. */
    private static boolean isMappedOrCompatibleIpv4(byte[] b) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        return mapped || nat64;
    }
}

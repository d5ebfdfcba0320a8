package io.userhub.shared.outbound;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** SSRF: where an endpoint may point, by the addresses its host resolves to (a stub resolver: no DNS). */
class OutboundUrlsTest {
    private static final Map<String, List<String>> DNS = Map.of(
            "hooks.example.com", List.of("93.184.216.34"),
            "internal.example.com", List.of("10.0.0.1"),
            "split.example.com", List.of("93.184.216.34", "192.168.1.7"),
            "v6.example.com", List.of("2606:4700::6810:84e5"),
            "localhost", List.of("127.0.0.1"));

    private static final OutboundUrls.Resolver RESOLVER = host -> {
        List<String> found = DNS.get(host);
        if (found == null) {
            if (!host.matches("[0-9.]+|.*:.*")) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(host)); // a literal address: no lookup
        }
        List<InetAddress> addresses = new java.util.ArrayList<>();
        for (String address : found) {
            addresses.add(InetAddress.getByName(address));
        }
        return addresses;
    };

    private static Optional<OutboundUrls.Refusal> production(String url) {
        return OutboundUrls.refusal(url, false, RESOLVER);
    }

    @Test
    void httpsToAPublicAddressIsAllowed() {
        assertThat(production("https://hooks.example.com/userhub")).isEmpty();
        assertThat(production("https://v6.example.com/userhub")).isEmpty();
        assertThat(production("https://93.184.216.34:8443/hooks")).isEmpty();
        assertThat(production("https://[2002:5db8:d822::1]/hooks")).as("6to4 of a public address").isEmpty();
    }

    @Test
    void privateLoopbackLinkLocalAndMetadataAddressesAreRefused() {
        assertThat(production("https://127.0.0.1/hooks")).contains(OutboundUrls.Refusal.PRIVATE_ADDRESS);
        assertThat(production("https://localhost/hooks")).contains(OutboundUrls.Refusal.PRIVATE_ADDRESS);
        assertThat(production("https://169.254.169.254/latest/meta-data/")).contains(OutboundUrls.Refusal.PRIVATE_ADDRESS);
        assertThat(production("https://internal.example.com/hooks")).as("a name resolving to 10.0.0.1")
                .contains(OutboundUrls.Refusal.PRIVATE_ADDRESS);
        assertThat(production("https://split.example.com/hooks")).as("one private address among public ones")
                .contains(OutboundUrls.Refusal.PRIVATE_ADDRESS);
        for (String address : List.of("172.16.0.1", "192.168.0.1", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
                "[::1]", "[fe80::1]", "[fd00:ec2::254]", "[fc00::1]", "[::ffff:10.0.0.1]", "[::ffff:169.254.169.254]", "[64:ff9b::a00:1]",
                // 6to4 of 169.254.169.254 and of 10.0.0.1, Teredo, documentation
                "[2002:a9fe:a9fe::1]", "[2002:a00:1::]", "[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "[2001:db8::1]")) {
            assertThat(production("https://" + address + "/hooks")).as(address).contains(OutboundUrls.Refusal.PRIVATE_ADDRESS);
        }
    }

    @Test
    void plainHttpOnlyOnLoopbackAndOnlyForLocalUse() {
        assertThat(production("http://hooks.example.com/userhub")).contains(OutboundUrls.Refusal.NOT_HTTPS);
        assertThat(production("http://127.0.0.1:8787/hooks")).contains(OutboundUrls.Refusal.NOT_HTTPS);
        assertThat(OutboundUrls.refusal("http://127.0.0.1:8787/hooks", true, RESOLVER)).isEmpty();
        assertThat(OutboundUrls.refusal("http://localhost:8787/hooks", true, RESOLVER)).isEmpty();
        assertThat(OutboundUrls.refusal("http://hooks.example.com/userhub", true, RESOLVER)).contains(OutboundUrls.Refusal.NOT_HTTPS);
        assertThat(OutboundUrls.refusal("https://internal.example.com/hooks", true, RESOLVER))
                .as("local use allows loopback, not the private network").contains(OutboundUrls.Refusal.PRIVATE_ADDRESS);
    }

    @Test
    void malformedUrlsCredentialsAndUnknownHostsAreRefused() {
        assertThat(production("ftp://hooks.example.com/")).contains(OutboundUrls.Refusal.NOT_HTTPS);
        assertThat(production("https://user:pass@hooks.example.com/")).contains(OutboundUrls.Refusal.CREDENTIALS_IN_URL);
        assertThat(production("not a url")).contains(OutboundUrls.Refusal.MALFORMED);
        assertThat(production("https:///path-only")).contains(OutboundUrls.Refusal.MALFORMED);
        assertThat(production("https://no-such-host.invalid/")).contains(OutboundUrls.Refusal.UNRESOLVABLE);
    }
}

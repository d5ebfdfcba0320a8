package io.userhub.functions.login;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * What the new-device allowance counts per: an IPv4 address, or the /64 of an IPv6 address (one
 * subscriber's network: a host picks any of its 2^64 addresses, so per address there would be no
 * limit at all).
 */
final class AddressBlocks {
    private AddressBlocks() {}

    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    static String of(String sourceIp) {
        if (!sourceIp.contains(":") || !IPV6_LITERAL.matcher(sourceIp).matches()) {
            return sourceIp;
        }
        try {
            byte[] bytes = InetAddress.getByName(sourceIp).getAddress();
            if (bytes.length != 16) {
                return sourceIp;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(String.format("%02x%02x:", bytes[i], bytes[i + 1]));
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException notALiteral) {
            return sourceIp;
        }
    }
}

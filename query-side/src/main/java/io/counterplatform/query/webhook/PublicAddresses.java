package io.counterplatform.query.webhook;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Whether an address is public unicast: anything a webhook may be sent to. Refused: loopback, private, link-local,
 * unspecified, multicast, carrier-grade NAT, benchmarking, documentation and reserved ranges, and every IPv6 form
 * that carries an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) unless that address is public itself.
 */
final class PublicAddresses {

    private PublicAddresses() {}

    static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address instanceof Inet4Address ? isPublicIpv4(bytes) : isPublicIpv6(bytes);
    }

    private static boolean isPublicIpv4(byte[] bytes) {
        int a = bytes[0] & 0xff;
        int b = bytes[1] & 0xff;
        int c = bytes[2] & 0xff;
        return !(a == 0 // this network
                || a == 10 // private
                || a == 127 // loopback
                || (a == 100 && b >= 64 && b <= 127) // carrier-grade NAT
                || (a == 169 && b == 254) // link-local
                || (a == 172 && b >= 16 && b <= 31) // private
                || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
                || (a == 192 && b == 0 && c == 2) // documentation
                || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
                || (a == 192 && b == 168) // private
                || (a == 198 && (b == 18 || b == 19)) // benchmarking
                || (a == 198 && b == 51 && c == 100) // documentation
                || (a == 203 && b == 0 && c == 113) // documentation
                || a >= 224); // multicast, reserved, broadcast
    }

    private static boolean isPublicIpv6(byte[] bytes) {
        int first = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
        int second = ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        if (zeros(bytes, 0, 10) && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff) {
            return isPublicIpv4(Arrays.copyOfRange(bytes, 12, 16)); // ::ffff:a.b.c.d, IPv4-mapped
        }
        if (zeros(bytes, 0, 12)) {
            return isPublicIpv4(Arrays.copyOfRange(bytes, 12, 16))
                    && !zeros(bytes, 12, 16); // ::, ::1 and ::a.b.c.d, compatible
        }
        if (first == 0x0064 && second == 0xff9b) {
            return zeros(bytes, 4, 12)
                    && isPublicIpv4(Arrays.copyOfRange(bytes, 12, 16)); // 64:ff9b::/96 NAT64; 64:ff9b:1::/48 local
        }
        if (first == 0x2002) {
            return isPublicIpv4(Arrays.copyOfRange(bytes, 2, 6)); // 6to4
        }
        return !((first & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (first & 0xffc0) == 0xfec0 // site-local fec0::/10
                || (first & 0xff00) == 0xff00 // multicast
                || (first == 0x0100 && zeros(bytes, 2, 8)) // discard-only 100::/64
                || (first == 0x2001 && second == 0x0000) // Teredo, which hides an IPv4 address
                || (first == 0x2001 && second == 0x0db8) // documentation
                || (first == 0x2001 && second < 0x0200) // IETF protocol assignments, benchmarking, ORCHID
                || (first & 0xe000) != 0x2000); // outside global unicast 2000::/3
    }

    private static boolean zeros(byte[] bytes, int from, int to) {
        return IntStream.range(from, to).allMatch(i -> bytes[i] == 0);
    }
}

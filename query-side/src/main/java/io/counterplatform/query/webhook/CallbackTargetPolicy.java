package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.InvalidCounterInput;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which URLs webhooks may be sent to: http or https only, and, unless private targets are allowed, a host whose
 * every address is public. Checked when a subscription is created and again before every delivery, since what
 * a name resolves to can change.
 */
@Component
class CallbackTargetPolicy {

    private final boolean allowPrivateTargets;

    CallbackTargetPolicy(@Value("${counter.webhooks.allow-private-targets}") boolean allowPrivateTargets) {
        this.allowPrivateTargets = allowPrivateTargets;
    }

    /** The URL, if it may be called; otherwise an {@link InvalidCounterInput} that says why. */
    URI check(String callbackUrl) {
        URI uri = parse(callbackUrl);
        if (allowPrivateTargets) {
            return uri;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (isPrivate(address)) {
                    throw refused(
                            address.getHostAddress() + " is a loopback, private, link-local or unspecified address");
                }
            }
        } catch (UnknownHostException e) {
            throw refused("its host does not resolve");
        }
        return uri;
    }

    private static URI parse(String callbackUrl) {
        if (callbackUrl == null || callbackUrl.isBlank()) {
            throw refused("is required");
        }
        try {
            URI uri = new URI(callbackUrl);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw refused("must be an http or https URL");
            }
            if (uri.getHost() == null || uri.getRawUserInfo() != null) {
                throw refused("must name a host, without user information");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw refused("is not a URL");
        }
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress()
                || address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            boolean uniqueLocal = (bytes[0] & 0xfe) == 0xfc; // fc00::/7
            return uniqueLocal || isMappedPrivateIpv4(bytes);
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 // 0.0.0.0/8, "this network"
                || (first == 100 && second >= 64 && second <= 127) // 100.64.0.0/10, carrier-grade NAT
                || (first == 198 && (second == 18 || second == 19)) // 198.18.0.0/15, benchmarking
                || first >= 240; // 240.0.0.0/4 reserved, and broadcast
    }

    private static boolean isMappedPrivateIpv4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        if ((bytes[10] & 0xff) != 0xff || (bytes[11] & 0xff) != 0xff) {
            return false;
        }
        try {
            return isPrivate(InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]}));
        } catch (UnknownHostException impossible) {
            return true;
        }
    }

    private static InvalidCounterInput refused(String why) {
        return new InvalidCounterInput("callbackUrl", why);
    }
}

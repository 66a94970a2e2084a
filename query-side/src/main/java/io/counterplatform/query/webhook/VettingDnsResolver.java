package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.InvalidCounterInput;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's only name resolution: the addresses it connects to are the ones the policy has just vetted, so
 * a name that resolves to a public address for the check and to a private one for the connection (DNS rebinding)
 * cannot reach the private one.
 */
final class VettingDnsResolver implements DnsResolver {

    private final CallbackTargetPolicy targets;

    VettingDnsResolver(CallbackTargetPolicy targets) {
        this.targets = targets;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        try {
            return targets.vettedAddresses(host);
        } catch (InvalidCounterInput refused) {
            throw new RefusedTarget(refused.getMessage());
        }
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    /** The callback's host was refused; the message says why, never what it resolved to. */
    static final class RefusedTarget extends UnknownHostException {
        RefusedTarget(String why) {
            super(why);
        }
    }
}

package io.counterplatform.query.live;

import io.counterplatform.support.problem.Refusal;
import io.counterplatform.support.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Bounds the live streams and {@code minVersion} waits open on this instance ({@code 503}: try another instance
 * or later), and the streams per client ({@code 429}), both with {@code Retry-After}: each holds a connection and
 * a subscription query for as long as its client stays. A client is its key's name, or its address when it sends
 * no key (an IPv6 address by its /64, the block one subscriber is given, so changing addresses gains nothing).
 */
@Component
public class StreamAdmission {

    private final int maxStreams;
    private final int maxPerClient;
    private final Duration retryAfter;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentMap<String, Integer> openPerClient = new ConcurrentHashMap<>();

    StreamAdmission(LiveSettings settings, MeterRegistry meters) {
        this.maxStreams = settings.maxStreams();
        this.maxPerClient = settings.maxStreamsPerClient();
        this.retryAfter = settings.retryAfter();
        meters.gauge("counter.live.streams", open);
    }

    /** Who a caller is, for the limits. */
    public static String clientOf(Caller caller, String remoteAddress) {
        if (caller != null) {
            return "key " + caller.name();
        }
        try {
            InetAddress address = InetAddress.getByName(remoteAddress); // a literal: nothing is looked up
            if (address instanceof Inet6Address) {
                byte[] network = Arrays.copyOf(address.getAddress(), 16);
                Arrays.fill(network, 8, 16, (byte) 0);
                return "network " + InetAddress.getByAddress(network).getHostAddress() + "/64";
            }
            return "address " + address.getHostAddress();
        } catch (UnknownHostException notALiteral) {
            return "address " + remoteAddress;
        }
    }

    /** Admits one more stream for {@code client}, or refuses; the returned release must run when it ends. */
    public Runnable admit(String client) {
        Runnable leaveTheInstance = admitWait();
        boolean[] admitted = {false};
        openPerClient.compute(client, (name, streams) -> {
            int now = streams == null ? 0 : streams;
            admitted[0] = now < maxPerClient;
            return admitted[0] ? now + 1 : streams;
        });
        if (!admitted[0]) {
            leaveTheInstance.run();
            throw refusal(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "too-many-requests",
                    "this client has " + maxPerClient + " live streams open");
        }
        return () -> {
            openPerClient.computeIfPresent(client, (name, streams) -> streams == 1 ? null : streams - 1);
            leaveTheInstance.run();
        };
    }

    /**
     * Admits one more {@code minVersion} wait against this instance's limit only: a wait ends within 30 s, and the
     * contract answers it with 200 or 503, so a client's many concurrent reads of its own writes are never a 429.
     */
    public Runnable admitWait() {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            throw refusal(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "service-unavailable",
                    "this instance has " + maxStreams + " live streams open");
        }
        return open::decrementAndGet;
    }

    private Refusal refusal(HttpStatus status, String kind, String detail) {
        return new Refusal(status, kind, detail)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
}

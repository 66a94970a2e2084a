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
 * or later), and per client the streams ({@code 429}) and, apart, the waits ({@code 503}), all with
 * {@code Retry-After}: each holds a connection and a subscription query for as long as its client stays. A client
 * is its key's name, or its address when it sends no key (an IPv6 address by its /64, the block one subscriber is
 * given, so changing addresses gains nothing).
 */
@Component
public class StreamAdmission {

    private final int maxStreams;
    private final int maxPerClient;
    private final int maxWaitsPerClient;
    private final Duration retryAfter;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentMap<String, Integer> openPerClient = new ConcurrentHashMap<>();

    StreamAdmission(LiveSettings settings, MeterRegistry meters) {
        this.maxStreams = settings.maxStreams();
        this.maxPerClient = settings.maxStreamsPerClient();
        this.maxWaitsPerClient = settings.maxWaitsPerClient();
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
        return admit(
                "streams of " + client,
                maxPerClient,
                HttpStatus.TOO_MANY_REQUESTS,
                "too-many-requests",
                "live streams");
    }

    /**
     * Admits one more {@code minVersion} wait for {@code client}, or refuses with the {@code 503} the contract gives
     * a wait: a wait ends within 30 s, so a client's waits have a wider cap of their own, apart from its streams.
     */
    public Runnable admitWait(String client) {
        return admit(
                "waits of " + client,
                maxWaitsPerClient,
                HttpStatus.SERVICE_UNAVAILABLE,
                "service-unavailable",
                "minVersion waits");
    }

    private Runnable admit(String holder, int cap, HttpStatus overCap, String kind, String what) {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            throw refusal(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "service-unavailable",
                    "this instance has " + maxStreams + " live streams open");
        }
        boolean[] admitted = {false};
        openPerClient.compute(holder, (name, held) -> {
            int now = held == null ? 0 : held;
            admitted[0] = now < cap;
            return admitted[0] ? now + 1 : held;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            throw refusal(overCap, kind, "this client has " + cap + " " + what + " open");
        }
        return () -> {
            openPerClient.computeIfPresent(holder, (name, held) -> held == 1 ? null : held - 1);
            open.decrementAndGet();
        };
    }

    private Refusal refusal(HttpStatus status, String kind, String detail) {
        return new Refusal(status, kind, detail)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
}

package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.InvalidCounterInput;
import io.counterplatform.support.problem.Refusal;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Which URLs webhooks may be sent to: http or https, at most 2,048 characters, a host and no user information;
 * and, unless private targets are allowed, a host whose every address is public. A host is resolved once per
 * connection, within a time limit, by a few threads of its own (a slow name server cannot hold request threads),
 * and the delivery connects to exactly the addresses that were vetted. A refusal never says what a name resolved
 * to.
 */
class CallbackTargetPolicy {

    static final int MAX_URL_LENGTH = 2048;

    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private final boolean allowPrivateTargets;
    private final Duration resolveTimeout;
    private final CallbackResolver resolver;
    private final AsyncTaskExecutor requestLookups;
    private final AsyncTaskExecutor deliveryLookups;
    private final Map<String, CompletableFuture<InetAddress[]>> deliveryLookupsInFlight = new ConcurrentHashMap<>();

    /** Requests and deliveries look up on pools of their own: neither can starve the other. */
    CallbackTargetPolicy(
            boolean allowPrivateTargets,
            Duration resolveTimeout,
            CallbackResolver resolver,
            AsyncTaskExecutor requestLookups,
            AsyncTaskExecutor deliveryLookups) {
        this.allowPrivateTargets = allowPrivateTargets;
        this.resolveTimeout = resolveTimeout;
        this.resolver = resolver;
        this.requestLookups = requestLookups;
        this.deliveryLookups = deliveryLookups;
    }

    /**
     * The URL, if it may be called: its form, and its host's addresses. A name that cannot be resolved now is taken
     * as it is (each delivery vets it again, so it is only ever called at addresses that are allowed then). Every
     * lookup thread busy (a name server that hangs) is a {@code 503}: the URL may be fine.
     */
    URI check(String callbackUrl) {
        URI uri = parse(callbackUrl);
        String name = bare(uri.getHost());
        if (endsInANumber(name) && !DOTTED_QUAD.matcher(name).matches()) {
            // 0x7f000001, 0177.0.0.1 or 2130706433: other clients read an address there, not always the one Java reads
            throw refused("must write an IPv4 address as four decimal numbers");
        }
        String special = name.toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
        if (special.equals("invalid") || special.endsWith(".invalid")) {
            throw refused("does not resolve"); // never will (RFC 6761)
        }
        if (!allowPrivateTargets && (special.equals("localhost") || special.endsWith(".localhost"))) {
            throw refused("is not a public address");
        }
        try {
            allowed(resolved(requestLookups.submit(() -> resolver.resolve(name))));
        } catch (Unresolved notNow) {
            return uri;
        } catch (TaskRejectedException busy) {
            throw new Refusal(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "service-unavailable",
                            "callback hosts cannot be looked up now; try again")
                    .header(HttpHeaders.RETRY_AFTER, "5");
        }
        return uri;
    }

    /** The host's addresses, each of them public (unless private targets are allowed): what a delivery connects to. */
    InetAddress[] vettedAddresses(String host) {
        try {
            return allowed(resolved(deliveryLookup(bare(host))));
        } catch (TaskRejectedException busy) {
            throw refused("could not be resolved now");
        }
    }

    /**
     * The lookup of the name in flight, or a new one: however many deliveries go to a name whose name server hangs,
     * they hold one lookup thread between them (a lookup cannot be interrupted).
     */
    private Future<InetAddress[]> deliveryLookup(String name) {
        CompletableFuture<InetAddress[]> lookup = new CompletableFuture<>();
        CompletableFuture<InetAddress[]> running = deliveryLookupsInFlight.putIfAbsent(name, lookup);
        if (running != null) {
            return running;
        }
        try {
            // out of the map before it answers: a lookup that has answered is never handed to a later delivery
            deliveryLookups.execute(() -> {
                try {
                    InetAddress[] addresses = resolver.resolve(name);
                    deliveryLookupsInFlight.remove(name, lookup);
                    lookup.complete(addresses);
                } catch (Exception | Error failed) {
                    deliveryLookupsInFlight.remove(name, lookup);
                    lookup.completeExceptionally(failed);
                }
            });
        } catch (TaskRejectedException busy) {
            deliveryLookupsInFlight.remove(name, lookup);
            throw busy;
        }
        return lookup;
    }

    /** The URL's form alone: http or https, a host, no user information, not too long. */
    static URI parse(String callbackUrl) {
        if (callbackUrl == null || callbackUrl.isBlank()) {
            throw refused("is required");
        }
        if (callbackUrl.length() > MAX_URL_LENGTH) {
            throw refused("must be at most " + MAX_URL_LENGTH + " characters");
        }
        try {
            URI uri = new URI(callbackUrl);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
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

    /**
     * A host that URL parsers read as an IPv4 address, in any of its forms (WHATWG URL's "ends in a number"); never an
     * IPv6 address, even one that ends in an IPv4 address.
     */
    static boolean endsInANumber(String host) {
        if (host.contains(":")) {
            return false;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return name.substring(name.lastIndexOf('.') + 1).matches("[0-9]+|0[xX][0-9a-fA-F]*");
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private InetAddress[] allowed(InetAddress[] addresses) {
        if (!allowPrivateTargets && !Arrays.stream(addresses).allMatch(PublicAddresses::isPublic)) {
            throw refused("is not a public address");
        }
        return addresses;
    }

    private InetAddress[] resolved(Future<InetAddress[]> lookup) {
        try {
            return lookup.get(resolveTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            // not cancelled: a lookup cannot be interrupted, and other deliveries may be waiting for this one
            throw new Unresolved("could not be resolved in time");
        } catch (ExecutionException failed) {
            throw new Unresolved(
                    failed.getCause() instanceof UnknownHostException ? "does not resolve" : "could not be resolved");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unresolved("could not be resolved");
        }
    }

    private static InvalidCounterInput refused(String why) {
        return new InvalidCounterInput("callbackUrl", why);
    }

    /** A name with no answer now: a delivery's failure, not a refusal of the URL. */
    private static final class Unresolved extends InvalidCounterInput {
        Unresolved(String why) {
            super("callbackUrl", why);
        }
    }
}

package io.counterplatform.e2e;

import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.WebhookReceiver;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A subscription to every counter and its receiver: checks that every event stored after the subscription was
 * delivered (at least once, so counted by event id) and, per counter, first delivered in version order.
 */
final class Webhooks {

    /**
     * How long to wait for the last events after the load before calling them missing. The fault suite's receiver
     * fails 18% of attempts, and a counter's events go one at a time, each failure waiting for its retry: the hot
     * counter's backlog drains at a few dozen a second.
     */
    private static final Duration CATCH_UP = Duration.ofMinutes(4);

    private final WebhookReceiver receiver;
    private final long lastEventBefore;

    private Webhooks(WebhookReceiver receiver, long lastEventBefore) {
        this.receiver = receiver;
        this.lastEventBefore = lastEventBefore;
    }

    static Webhooks subscribe(Platform platform, WebhookReceiver receiver) throws SQLException {
        long lastEventBefore = platform.tally("SELECT 'all', coalesce(max(globalIndex), 0) FROM DomainEventEntry")
                .get("all");
        Http.Response created = platform.queries()
                .post(
                        "/api/subscriptions",
                        "application/json",
                        "{\"callbackUrl\":\"" + receiver.url() + "\"}",
                        "X-Api-Key",
                        Platform.ADMIN_KEY);
        if (created.status() != 201) {
            throw new IllegalStateException("subscription refused: " + created.status() + " " + created.body());
        }
        return new Webhooks(receiver, lastEventBefore);
    }

    List<String> violations(Platform platform) throws SQLException {
        Set<String> expected = new HashSet<>(
                platform.tally("SELECT eventIdentifier, globalIndex FROM DomainEventEntry WHERE globalIndex > "
                                + lastEventBefore)
                        .keySet());
        Instant started = Instant.now();
        Instant deadline = started.plus(CATCH_UP);
        while (!delivered().containsAll(expected) && Instant.now().isBefore(deadline)) {
            pause();
        }
        System.out.printf(
                "webhooks: %d events delivered %d ms after the load%n",
                expected.size(), Duration.between(started, Instant.now()).toMillis());
        List<String> violations = new ArrayList<>();
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(delivered());
        if (!missing.isEmpty()) {
            violations.add(missing.size() + " events never delivered to the receiver, e.g. "
                    + missing.iterator().next() + "; subscriptions: "
                    + platform.tally("SELECT status || ' failing since ' || coalesce(failing_since::text, '-') || ' '"
                            + " || coalesce(last_error, ''), count(*) FROM webhook_subscription GROUP BY 1")
                    + ", holds: "
                    + platform.tally(
                            "SELECT 'dead ' || dead || ' attempts ' || attempts || ' ' || coalesce(last_error, '')"
                                    + ", count(*) FROM webhook_hold GROUP BY 1"));
        }
        Map<String, Long> lastFirstDelivered = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (WebhookReceiver.Received delivery : receiver.accepted()) {
            if (!seen.add(delivery.header("webhook-id"))) {
                continue; // a redelivery: at least once
            }
            String counter = delivery.field("counterId");
            long version = Long.parseLong(delivery.field("version"));
            Long previous = lastFirstDelivered.put(counter, version);
            if (previous != null && previous > version) {
                violations.add(counter + ": version " + version + " first delivered after version " + previous);
            }
        }
        return violations;
    }

    private Set<String> delivered() {
        Set<String> ids = new HashSet<>();
        receiver.accepted().forEach(delivery -> ids.add(delivery.header("webhook-id")));
        return ids;
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

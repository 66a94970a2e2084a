package io.counterplatform.query.webhook;

import java.time.Instant;
import java.util.UUID;

/** Someone who wants every change of one counter, or of all counters, POSTed to their URL. */
record WebhookSubscription(
        UUID id,
        String callbackUrl,
        String counterId,
        String secret,
        Instant createdAt,
        long afterPosition,
        String owner,
        Health health) {

    /**
     * How its endpoint fares: {@code enabled} (failingSince null) or {@code failing} since then, or {@code disabled}
     * at {@code disabledAt}; the last failure's reason, if any.
     */
    record Health(String status, Instant failingSince, String lastError, Instant disabledAt) {

        static final Health NEW = new Health("enabled", null, null, null);
    }

    SubscriptionView toView() {
        return new SubscriptionView(
                id,
                callbackUrl,
                counterId,
                createdAt,
                "enabled".equals(health.status()) && health.failingSince() != null ? "failing" : health.status(),
                health.failingSince(),
                health.lastError(),
                health.disabledAt());
    }

    SubscriptionCreated toCreated() {
        return new SubscriptionCreated(id, callbackUrl, counterId, secret, createdAt);
    }
}

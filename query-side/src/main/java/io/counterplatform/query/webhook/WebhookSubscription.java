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
        String owner) {

    SubscriptionView toView() {
        return new SubscriptionView(id, callbackUrl, counterId, createdAt);
    }

    SubscriptionCreated toCreated() {
        return new SubscriptionCreated(id, callbackUrl, counterId, secret, createdAt);
    }
}

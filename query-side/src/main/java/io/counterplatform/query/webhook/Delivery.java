package io.counterplatform.query.webhook;

import java.time.Instant;
import java.util.UUID;

/** One claimed delivery: an event for one subscription, with where and how to sign it, and its trace (or null). */
record Delivery(
        UUID claimId,
        UUID subscriptionId,
        String callbackUrl,
        String secret,
        String eventId,
        String counterId,
        long version,
        long amount,
        long value,
        Instant timestamp,
        int attempts,
        String traceParent) {

    WebhookPayload payload() {
        return new WebhookPayload(eventId, counterId, amount, value, version, timestamp);
    }
}

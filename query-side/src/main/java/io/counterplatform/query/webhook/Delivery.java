package io.counterplatform.query.webhook;

import java.time.Instant;
import java.util.UUID;

/**
 * One claimed delivery: an event for one subscription, with where to send it, the secrets to sign it with (the
 * previous one only while a rotation's overlap lasts, else null), and its trace (or null).
 */
record Delivery(
        UUID claimId,
        UUID subscriptionId,
        String callbackUrl,
        String secret,
        String previousSecret,
        String eventId,
        String counterId,
        long version,
        long amount,
        long value,
        Instant timestamp,
        int attempts,
        String traceParent) {

    WebhookPayload payload() {
        return WebhookPayload.counterIncremented(
                new WebhookPayload.Data(eventId, counterId, amount, value, version, timestamp));
    }
}

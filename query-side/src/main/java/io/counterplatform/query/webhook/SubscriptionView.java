package io.counterplatform.query.webhook;

import java.time.Instant;
import java.util.UUID;

/**
 * A subscription as listed, never with its secret: {@code status} is {@code enabled}, {@code failing} (every
 * attempt has failed since {@code failingSince}) or {@code disabled} (at {@code disabledAt}, after failing for
 * {@code counter.webhooks.disable-after}; {@code POST /api/subscriptions/{id}/enable} resumes it where it stopped).
 */
record SubscriptionView(
        UUID id,
        String callbackUrl,
        String counterId,
        Instant createdAt,
        String status,
        Instant failingSince,
        String lastError,
        Instant disabledAt) {}

package io.counterplatform.query.webhook;

import java.time.Instant;
import java.util.UUID;

/** The answer to creating a subscription: the only time its secret is shown. */
record SubscriptionCreated(UUID id, String callbackUrl, String counterId, String secret, Instant createdAt) {}

package io.counterplatform.query.webhook;

import java.time.Instant;
import java.util.UUID;

/** A subscription as listed: never with its secret. */
record SubscriptionView(UUID id, String callbackUrl, String counterId, Instant createdAt) {}

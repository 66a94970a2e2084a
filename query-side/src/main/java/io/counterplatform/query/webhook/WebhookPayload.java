package io.counterplatform.query.webhook;

import java.time.Instant;

/** The JSON body POSTed to a subscriber for one counter event. */
record WebhookPayload(String eventId, String counterId, long amount, long value, long version, Instant timestamp) {}

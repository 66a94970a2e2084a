package io.counterplatform.query.webhook;

import java.time.Instant;

/**
 * The JSON body POSTed to a subscriber, a Standard Webhooks envelope: the event's type, when it happened, and the
 * counter event itself.
 */
record WebhookPayload(String type, Instant timestamp, Data data) {

    static final String COUNTER_INCREMENTED = "counter.incremented";

    /** One counter event. */
    record Data(String eventId, String counterId, long amount, long value, long version, Instant timestamp) {}

    static WebhookPayload counterIncremented(Data data) {
        return new WebhookPayload(COUNTER_INCREMENTED, data.timestamp(), data);
    }
}

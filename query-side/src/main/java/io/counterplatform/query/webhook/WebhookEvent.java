package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.support.tracing.TracingSupport;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.eventhandling.EventMessage;

/** A counter event as a delivery carries it, with the trace of the increment that made it (or null). */
record WebhookEvent(
        String eventId,
        String counterId,
        long version,
        long amount,
        long value,
        Instant timestamp,
        String traceParent) {

    /** The event a subscriber is told of, if the message is one. */
    static Optional<WebhookEvent> of(EventMessage<?> message) {
        if (!CounterIncremented.class.equals(message.getPayloadType())) {
            return Optional.empty();
        }
        CounterIncremented event = (CounterIncremented) message.getPayload();
        return Optional.of(new WebhookEvent(
                message.getIdentifier(),
                event.counterId(),
                event.version(),
                event.amount(),
                event.value(),
                message.getTimestamp(),
                message.getMetaData().get(TracingSupport.TRACE_PARENT) instanceof String parent ? parent : null));
    }

    /** The JSON body POSTed to a subscriber: a Standard Webhooks envelope of the event. */
    record Payload(String type, Instant timestamp, Data data) {

        record Data(String eventId, String counterId, long amount, long value, long version, Instant timestamp) {}
    }

    Payload payload() {
        return new Payload(
                "counter.incremented",
                timestamp,
                new Payload.Data(eventId, counterId, amount, value, version, timestamp));
    }
}

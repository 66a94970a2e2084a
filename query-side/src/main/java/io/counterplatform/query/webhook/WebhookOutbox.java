package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.support.tracing.TracingSupport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Turns each event into deliveries, in the same transaction as this processor's token (all the events of a
 * processor batch in one statement): an event is enqueued exactly once however often it is handled. A replay must never notify anyone again, so this processor refuses
 * to replay.
 */
@Component
@ProcessingGroup(WebhookOutbox.NAME)
@DisallowReplay
class WebhookOutbox {

    static final String NAME = "webhooks";

    private final DeliveryQueue queue;
    private final WebhookDispatcher dispatcher;

    WebhookOutbox(DeliveryQueue queue, WebhookDispatcher dispatcher) {
        this.queue = queue;
        this.dispatcher = dispatcher;
    }

    @EventHandler
    void on(
            CounterIncremented event,
            EventMessage<?> message,
            @SequenceNumber long sequenceNumber,
            @Timestamp Instant at,
            TrackingToken token) {
        batch().add(new DeliveryQueue.Event(
                message.getIdentifier(),
                event.counterId(),
                sequenceNumber + 1,
                event.amount(),
                event.value(),
                at,
                token.position().orElseThrow(),
                message.getMetaData().get(TracingSupport.TRACE_PARENT) instanceof String parent ? parent : null));
    }

    /** The events of the processor's batch, enqueued together when it commits. */
    private List<DeliveryQueue.Event> batch() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(WebhookOutbox.class.getName(), key -> {
            List<DeliveryQueue.Event> events = new ArrayList<>();
            batch.onPrepareCommit(committing -> {
                if (queue.enqueue(events) > 0) {
                    committing.afterCommit(committed -> dispatcher.wake());
                }
            });
            return events;
        });
    }
}

package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.CounterIncremented;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * The {@code webhooks} processor: follows the event stream, counts its batches and wakes the dispatcher after each,
 * so new events reach subscribers at once rather than at the next poll, and an event that became visible after one
 * stored behind it reaches the subscriptions whose cursors passed its place. It stores only its token and that
 * count: each subscription reads the events themselves from the event store, from its own cursor. It never replays
 * (a replay would wake nobody who has not been woken already, and the admin API promises this processor is never
 * replayed).
 */
@Component
@ProcessingGroup(NewEventsSignal.NAME)
@DisallowReplay
class NewEventsSignal {

    static final String NAME = "webhooks";

    private final WebhookDispatcher dispatcher;
    private final DeliveryState state;

    NewEventsSignal(WebhookDispatcher dispatcher, DeliveryState state) {
        this.dispatcher = dispatcher;
        this.state = state;
    }

    @EventHandler
    void on(CounterIncremented event) {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        batch.getOrComputeResource(NewEventsSignal.class.getName(), key -> {
            state.batchSeen(); // in the batch's transaction: the count moves exactly when the token does
            batch.afterCommit(committed -> dispatcher.wake());
            return Boolean.TRUE;
        });
    }
}

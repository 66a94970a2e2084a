package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.CounterIncremented;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * The {@code webhooks} processor: follows the event stream and wakes the dispatcher after each batch, so new events
 * reach subscribers at once rather than at the next poll. It stores nothing but its token: each subscription reads
 * the events themselves from the event store, from its own cursor. It never replays (a replay would wake nobody
 * who has not been woken already, and the admin API promises this processor is never replayed).
 */
@Component
@ProcessingGroup(NewEventsSignal.NAME)
@DisallowReplay
class NewEventsSignal {

    static final String NAME = "webhooks";

    private final WebhookDispatcher dispatcher;

    NewEventsSignal(WebhookDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @EventHandler
    void on(CounterIncremented event) {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        batch.getOrComputeResource(NewEventsSignal.class.getName(), key -> {
            batch.afterCommit(committed -> dispatcher.wake());
            return Boolean.TRUE;
        });
    }
}

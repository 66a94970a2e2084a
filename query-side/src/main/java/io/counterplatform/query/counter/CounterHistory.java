package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterEventView;
import io.counterplatform.api.counter.CounterHistoryPage;
import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounterAt;
import io.counterplatform.api.counter.FindCounterHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/**
 * Answers questions about a counter's past straight from the event store (JDBC or Axon Server alike). Snapshots
 * are never read: every stream starts at a sequence number.
 */
@Component
class CounterHistory {

    private final EventStore eventStore;

    CounterHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    @QueryHandler
    Optional<CounterHistoryPage> handle(FindCounterHistory query) {
        DomainEventStream stream = eventStore.readEvents(query.counterId(), query.fromVersion() - 1);
        List<CounterEventView> items = new ArrayList<>();
        while (items.size() < query.limit() && stream.hasNext()) {
            items.add(toView(stream.next()));
        }
        if (items.isEmpty() && !exists(query.counterId())) {
            return Optional.empty();
        }
        Long next = stream.hasNext() ? items.get(items.size() - 1).version() + 1 : null;
        return Optional.of(new CounterHistoryPage(query.counterId(), items, next));
    }

    /** The last event stored at or before the instant. */
    @QueryHandler
    Optional<CounterView> handle(FindCounterAt query) {
        DomainEventStream stream = eventStore.readEvents(query.counterId(), 0);
        CounterView state = null;
        while (stream.hasNext() && !stream.peek().getTimestamp().isAfter(query.instant())) {
            state = toView(stream.next()).toCounterView(query.counterId());
        }
        return Optional.ofNullable(state);
    }

    private boolean exists(String counterId) {
        return eventStore.readEvents(counterId, 0).hasNext();
    }

    private static CounterEventView toView(DomainEventMessage<?> message) {
        CounterIncremented event = (CounterIncremented) message.getPayload();
        return new CounterEventView(
                message.getSequenceNumber() + 1,
                event.amount(),
                event.value(),
                message.getTimestamp(),
                message.getIdentifier());
    }
}

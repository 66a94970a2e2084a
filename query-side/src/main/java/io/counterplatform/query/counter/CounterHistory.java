package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.CounterView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * Reads a counter's own events straight from the event store (JDBC or Axon Server alike), for history and
 * time travel. Snapshots are never read: the stream starts at a sequence number.
 */
@Component
class CounterHistory {

    private final EventStore eventStore;

    CounterHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** Up to {@code limit} events from {@code fromVersion} on, or empty if the counter has no event at all. */
    Optional<CounterEventsPage> events(String counterId, long fromVersion, int limit) {
        DomainEventStream stream = eventStore.readEvents(counterId, fromVersion - 1);
        List<CounterEventView> items = new ArrayList<>();
        while (items.size() < limit && stream.hasNext()) {
            items.add(toView(stream.next()));
        }
        if (items.isEmpty() && !exists(counterId)) {
            return Optional.empty();
        }
        Long next = stream.hasNext() ? items.get(items.size() - 1).version() + 1 : null;
        return Optional.of(new CounterEventsPage(counterId, items, next));
    }

    /** The counter as it stood at {@code instant}: the last event stored at or before it. */
    Optional<CounterView> at(String counterId, Instant instant) {
        DomainEventStream stream = eventStore.readEvents(counterId, 0);
        CounterView state = null;
        while (stream.hasNext() && !stream.peek().getTimestamp().isAfter(instant)) {
            CounterEventView event = toView(stream.next());
            state = new CounterView(counterId, event.value(), event.version(), event.timestamp());
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

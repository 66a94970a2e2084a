package io.counterplatform.query.counter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Reads through the event store's own API. In JDBC mode a stream is fetched in batches, each with its own query,
 * so one that is left half-read holds nothing open.
 */
final class EventStoreReader implements CounterEventReader {

    private final EventStore eventStore;

    EventStoreReader(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    @Override
    public List<DomainEventMessage<?>> read(String counterId, long from, long to) {
        DomainEventStream stream = eventStore.readEvents(counterId, from);
        List<DomainEventMessage<?>> slice = new ArrayList<>();
        while (stream.hasNext() && stream.peek().getSequenceNumber() <= to) {
            slice.add(stream.next());
        }
        return slice;
    }

    @Override
    public Optional<Long> lastSequenceNumber(String counterId) {
        return eventStore.lastSequenceNumberFor(counterId);
    }
}

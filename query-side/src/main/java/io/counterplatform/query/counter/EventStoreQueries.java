package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterEventView;
import io.counterplatform.api.counter.CounterHistoryPage;
import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounterAt;
import io.counterplatform.api.counter.FindCounterHistory;
import io.counterplatform.support.history.CounterEventReader;
import java.util.List;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/**
 * Answers questions about a counter's past straight from the event store (JDBC or Axon Server alike), reading
 * no more than the answer needs: a page reads its own slice, a point in time a few single events. Snapshots are
 * never read: every read starts at a sequence number.
 */
@Component
class EventStoreQueries {

    private final CounterEventReader events;
    private final EventStore eventStore;

    EventStoreQueries(CounterEventReader events, EventStore eventStore) {
        this.events = events;
        this.eventStore = eventStore;
    }

    @QueryHandler
    Optional<CounterHistoryPage> handle(FindCounterHistory query) {
        Optional<Long> last = eventStore.lastSequenceNumberFor(query.counterId());
        if (last.isEmpty()) {
            return Optional.empty();
        }
        long from = query.fromVersion() - 1;
        if (from > last.get()) {
            return Optional.of(new CounterHistoryPage(query.counterId(), List.of(), null));
        }
        long to = Math.min(last.get(), from + query.limit() - 1);
        List<CounterEventView> items = events.read(query.counterId(), from, to).stream()
                .map(EventStoreQueries::toView)
                .toList();
        return Optional.of(new CounterHistoryPage(query.counterId(), items, to < last.get() ? to + 2 : null));
    }

    /**
     * The last event stored at or before the instant, found by halving the counter's history: a counter's events
     * are stored in time order, so a few single-event reads find it however long the history is.
     */
    @QueryHandler
    Optional<CounterView> handle(FindCounterAt query) {
        long low = 0;
        long high = eventStore.lastSequenceNumberFor(query.counterId()).orElse(-1L);
        DomainEventMessage<?> found = null;
        while (low <= high) {
            long middle = low + (high - low) / 2;
            List<DomainEventMessage<?>> probe = events.read(query.counterId(), middle, middle);
            if (!probe.isEmpty() && !probe.get(0).getTimestamp().isAfter(query.instant())) {
                found = probe.get(0);
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return Optional.ofNullable(found).map(event -> toView(event).toCounterView(query.counterId()));
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

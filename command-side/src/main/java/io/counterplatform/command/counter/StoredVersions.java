package io.counterplatform.command.counter;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/** A counter's version in the event store, which a cached counter lags behind when another instance appended. */
@Component
class StoredVersions {

    private final EventStore store;

    StoredVersions(EventStore store) {
        this.store = store;
    }

    long of(String counterId) {
        return store.lastSequenceNumberFor(counterId).map(last -> last + 1).orElse(0L);
    }
}

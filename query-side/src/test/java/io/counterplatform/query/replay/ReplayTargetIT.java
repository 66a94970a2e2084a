package io.counterplatform.query.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.query.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A rebuild reads up to the head the stream had when it began, whatever the store's numbering: Axon Server counts
 * its events from 0 (as the in-memory store here does), the JDBC store from 1. A store of one event and an empty
 * store are the edge cases.
 */
@IntegrationTest
class ReplayTargetIT {

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine())
            .build();

    @Autowired
    private ReplayRepository rebuilds;

    @Autowired
    private TransactionTemplate transaction;

    @Autowired
    private ReplaySettings settings;

    @Autowired
    private ReplayMetrics metrics;

    @AfterEach
    void stop() {
        store.shutDown();
    }

    @Test
    void aStoreWhoseOnlyEventIsAtPositionZeroIsRebuiltWithIt() {
        store.publish(
                new GenericDomainEventMessage<>("Counter", "solo", 0, new CounterIncremented("solo", 1, 1, null, 1)));

        assertThat(rebuild("zero-based-one-event")).hasSize(1);
    }

    @Test
    void anEmptyStoreIsRebuiltAtOnce() {
        assertThat(rebuild("zero-based-empty")).isEmpty();
    }

    @Test
    void aStoreOfThreeEventsIsRebuiltWithAllThree() {
        for (long sequence = 0; sequence < 3; sequence++) {
            store.publish(new GenericDomainEventMessage<>(
                    "Counter", "trio", sequence, new CounterIncremented("trio", 1, sequence + 1, null, sequence + 1)));
        }

        assertThat(rebuild("zero-based-three-events")).hasSize(3);
    }

    /** Runs a rebuild of a recording projection to its end, on this thread; returns what it was given. */
    private List<EventMessage<?>> rebuild(String name) {
        long target = ReplayJob.positionAfter(store.createHeadToken(), 0);
        assertThat(rebuilds.start(name, target, "test", settings.lease())).isTrue();
        Recording projection = new Recording(name);

        new ReplayJob(projection, store, rebuilds, transaction, settings, metrics, "test").run();

        assertThat(projection.switched).isTrue();
        return projection.applied;
    }

    private static final class Recording implements ReplayableProjection {

        private final String name;
        private final List<EventMessage<?>> applied = new ArrayList<>();
        private boolean switched;

        private Recording(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void createShadow() {}

        @Override
        public void applyToShadow(List<? extends EventMessage<?>> batch) {
            applied.addAll(batch);
        }

        @Override
        public void switchToShadow() {
            switched = true;
        }
    }
}

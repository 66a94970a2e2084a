package io.counterplatform.support.history;

import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/** How a counter's history is read in each mode: the mode is configuration, never a branch in the code. */
@AutoConfiguration
public class CounterEventReaders {

    /**
     * Reads through the event store's own API. In JDBC mode a stream is fetched in batches, each with its own query,
     * so one that is left half-read holds nothing open.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    CounterEventReader eventStoreReader(EventStore eventStore) {
        return (counterId, from, to) -> eventStore
                .readEvents(counterId, from)
                .asStream()
                .takeWhile(event -> event.getSequenceNumber() <= to)
                .<DomainEventMessage<?>>map(event -> event)
                .toList();
    }

    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true", matchIfMissing = true)
    CounterEventReader axonServerReader(
            AxonServerConnectionManager connections,
            AxonServerConfiguration server,
            org.axonframework.config.Configuration axon) {
        return new AxonServerReader(connections, server.getContext(), axon.eventSerializer(), axon.upcasterChain());
    }
}

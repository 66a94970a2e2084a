package io.counterplatform.query.counter;

import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How a counter's history is read in each mode: the mode is configuration, never a branch in the code. */
@Configuration(proxyBeanMethods = false)
class CounterEventReaders {

    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    CounterEventReader eventStoreReader(EventStore eventStore) {
        return new EventStoreReader(eventStore);
    }

    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true", matchIfMissing = true)
    CounterEventReader axonServerReader(
            AxonServerConnectionManager connections,
            AxonServerConfiguration server,
            org.axonframework.config.Configuration axon,
            EventStore eventStore) {
        return new AxonServerReader(
                connections, server.getContext(), axon.eventSerializer(), axon.upcasterChain(), eventStore);
    }
}

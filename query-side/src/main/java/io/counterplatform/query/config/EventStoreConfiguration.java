package io.counterplatform.query.config;

import java.time.Duration;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.validation.annotation.Validated;

/**
 * The query side reads the events another process appends. In JDBC mode it learns of them only by polling:
 * Axon polls every second by default, a short fetch delay brings a new event to the projections within tens of
 * milliseconds, at the cost of one cheap indexed query per delay while idle.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
class EventStoreConfiguration {

    @Bean
    JdbcEventStorageEngine eventStorageEngine(
            Serializer serializer,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            org.axonframework.config.Configuration configuration,
            ConnectionProvider connectionProvider,
            TransactionManager transactionManager) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                // a processor far behind (a new version reading the history) reads it in larger steps
                .batchSize(1000)
                .build();
    }

    @Bean
    EmbeddedEventStore eventStore(
            EventStorageEngine storageEngine,
            org.axonframework.config.Configuration configuration,
            EventStoreSettings settings) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .fetchDelay(settings.fetchDelay().toMillis())
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .build();
    }

    /** What the streaming processors read from: the event store, woken on arrival instead of every 500 ms. */
    @Bean
    WakingEventSource eventStream(EmbeddedEventStore eventStore) {
        SimpleAsyncTaskExecutor watcher = new SimpleAsyncTaskExecutor("event-arrival-watcher-");
        watcher.setDaemon(true); // never what keeps a failed start's process alive
        return new WakingEventSource(eventStore, watcher);
    }

    /**
     * {@code counter.event-store} (JDBC mode).
     *
     * @param fetchDelay how often to look for events appended by the command side when there were none
     */
    @ConfigurationProperties("counter.event-store")
    @Validated
    record EventStoreSettings(
            @DefaultValue("10ms") @DurationMin(millis = 1) Duration fetchDelay) {}
}

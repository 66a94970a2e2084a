package io.counterplatform.command.config;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's own auto-configuration provides the event store: on PostgreSQL through JDBC when Axon Server is off (this
 * class teaches it PostgreSQL's duplicate-key error and reading counters together), on Axon Server otherwise.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    /** A duplicate (aggregate, sequence number) means another append won the race: a ConcurrencyException. */
    @Bean
    PersistenceExceptionResolver postgresDuplicateKeyResolver() {
        return new SQLStateResolver(LostAppendRace.UNIQUE_VIOLATION); // plain JDBC, despite its package
    }

    /**
     * Axon's JDBC storage engine as its auto-configuration builds it, on Axon's default tables (the migrations create
     * them), which can also read the counters of a batch together: those with up to a snapshot's worth of events
     * since their snapshot (more is rare: snapshots are taken after the commit, on a thread of their own).
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    PreloadingStorageEngine eventStorageEngine(
            Serializer defaultSerializer,
            PersistenceExceptionResolver persistenceExceptionResolver,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            org.axonframework.config.Configuration axon,
            ConnectionProvider connectionProvider,
            TransactionManager transactionManager,
            CommandSettings settings) {
        return new PreloadingStorageEngine(
                JdbcEventStorageEngine.builder()
                        .snapshotSerializer(defaultSerializer)
                        .upcasterChain(axon.upcasterChain())
                        .persistenceExceptionResolver(persistenceExceptionResolver)
                        .eventSerializer(eventSerializer)
                        .connectionProvider(connectionProvider)
                        .transactionManager(transactionManager)
                        .snapshotFilter(axon.snapshotFilter()),
                settings.snapshotThreshold());
    }

    /**
     * On Axon Server a unit of work owns no database transaction: its events go to Axon Server as it commits, and
     * its idempotency keys are committed to PostgreSQL before that (see the key table). Axon would otherwise wrap
     * each unit in a PostgreSQL transaction, which would commit the keys only after the append.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true", matchIfMissing = true)
    TransactionManager axonTransactionManager() {
        return NoTransactionManager.INSTANCE;
    }
}

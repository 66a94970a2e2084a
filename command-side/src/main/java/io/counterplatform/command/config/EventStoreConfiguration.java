package io.counterplatform.command.config;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's own auto-configuration provides the event store: on PostgreSQL through JDBC when Axon Server is off (this
 * class only teaches it PostgreSQL's duplicate-key error), on Axon Server otherwise.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    /** A duplicate (aggregate, sequence number) means another append won the race: a ConcurrencyException. */
    @Bean
    PersistenceExceptionResolver postgresDuplicateKeyResolver() {
        return new SQLStateResolver(LostAppendRace.UNIQUE_VIOLATION); // plain JDBC, despite its package
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

package io.counterplatform.command.config;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's own JDBC auto-configuration provides the event store on PostgreSQL (when Axon Server is off); this
 * class only teaches it PostgreSQL's duplicate-key error.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    /** A duplicate (aggregate, sequence number) means another append won the race: a ConcurrencyException. */
    @Bean
    PersistenceExceptionResolver postgresDuplicateKeyResolver() {
        return new SQLStateResolver(LostAppendRace.UNIQUE_VIOLATION); // plain JDBC, despite its package
    }
}

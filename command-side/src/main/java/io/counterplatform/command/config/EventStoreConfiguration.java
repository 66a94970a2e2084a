package io.counterplatform.command.config;

import io.counterplatform.support.CounterIncrementedUpcaster;
import io.counterplatform.support.EventStoreCheck;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's own JDBC auto-configuration provides the event store on PostgreSQL (when Axon Server is off); this
 * class only teaches it PostgreSQL's duplicate-key error and refuses to start on any other storage engine.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    /** A duplicate (aggregate, sequence number) means another append won the race: a ConcurrencyException. */
    @Bean
    PersistenceExceptionResolver postgresDuplicateKeyResolver() {
        return exception -> {
            for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
                if (LostAppendRace.isUniqueViolation(cause)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Events written as revision 1 are read as revision 2. */
    @Bean
    CounterIncrementedUpcaster counterIncrementedUpcaster() {
        return new CounterIncrementedUpcaster();
    }

    @Bean
    EventStoreCheck eventStoreCheck(EventStore eventStore, ObjectProvider<EventStorageEngine> engine) {
        return new EventStoreCheck(eventStore, engine);
    }
}

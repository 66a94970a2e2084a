package io.counterplatform.support;

import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** What both services' event stores share: the upcaster of old events, and the check of the storage at start. */
@AutoConfiguration
public class EventStoreSupport {

    private static final Logger log = LoggerFactory.getLogger(EventStoreSupport.class);

    /** Events written as revision 1 are read as revision 2. */
    @Bean
    CounterIncrementedUpcaster counterIncrementedUpcaster() {
        return new CounterIncrementedUpcaster();
    }

    /**
     * Axon chooses its storage engine by what is on the classpath (with JPA there, it would store events through
     * JPA); this check refuses to start on any storage engine but the JDBC one, and logs which event store won.
     */
    @Bean
    ApplicationRunner eventStoreCheck(EventStore eventStore, ObjectProvider<EventStorageEngine> storageEngine) {
        return args -> {
            EventStorageEngine engine = storageEngine.getIfAvailable();
            if (engine != null && !(engine instanceof JdbcEventStorageEngine)) {
                throw new IllegalStateException("Expected Axon's JDBC event store, found "
                        + engine.getClass().getName());
            }
            log.info(
                    "Event store: {}{}",
                    eventStore.getClass().getSimpleName(),
                    engine == null ? "" : " on " + engine.getClass().getSimpleName());
        };
    }
}

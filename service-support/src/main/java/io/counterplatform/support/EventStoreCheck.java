package io.counterplatform.support;

import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * With Spring Data JPA on the classpath Axon would happily store events through JPA instead; this check
 * refuses to start on any storage engine but the JDBC one, and logs which event store won.
 */
public class EventStoreCheck implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(EventStoreCheck.class);

    private final EventStore eventStore;
    private final ObjectProvider<EventStorageEngine> storageEngine;

    public EventStoreCheck(EventStore eventStore, ObjectProvider<EventStorageEngine> storageEngine) {
        this.eventStore = eventStore;
        this.storageEngine = storageEngine;
    }

    @Override
    public void run(ApplicationArguments args) {
        EventStorageEngine engine = storageEngine.getIfAvailable();
        if (engine != null && !(engine instanceof JdbcEventStorageEngine)) {
            throw new IllegalStateException("Expected Axon's JDBC event store, found "
                    + engine.getClass().getName());
        }
        log.info(
                "Event store: {}{}",
                eventStore.getClass().getSimpleName(),
                engine == null ? "" : " on " + engine.getClass().getSimpleName());
    }
}

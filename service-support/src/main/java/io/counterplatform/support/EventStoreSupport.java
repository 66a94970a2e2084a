package io.counterplatform.support;

import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** What both services' event stores share: the upcaster of old events, and the check of the storage at start. */
@AutoConfiguration
public class EventStoreSupport {

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

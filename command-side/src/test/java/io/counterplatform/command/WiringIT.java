package io.counterplatform.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * In JDBC mode the events go through Axon's JDBC engine, never its JPA one, and through Jackson, never XStream; the
 * security chain runs its filters without wrapping each in an observation.
 */
@IntegrationTest
class WiringIT {

    @Autowired
    private EventStore eventStore;

    @Autowired
    private EventStorageEngine storageEngine;

    @Autowired
    private Serializer serializer;

    @Autowired
    @Qualifier("eventSerializer")
    private Serializer eventSerializer;

    @Autowired
    @Qualifier("messageSerializer")
    private Serializer messageSerializer;

    @Autowired
    private FilterChainProxy securityChain;

    @Test
    void theSecurityChainObservesNothingOfItsOwn() {
        assertThat(ReflectionTestUtils.getField(securityChain, "filterChainDecorator"))
                .isNotInstanceOf(ObservationFilterChainDecorator.class);
    }

    @Test
    void eventsAreStoredByTheJdbcEngineAsJson() {
        assertThat(eventStore).isInstanceOf(EmbeddedEventStore.class);
        assertThat(storageEngine).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(((JdbcEventStorageEngine) storageEngine).getEventSerializer())
                .isSameAs(eventSerializer);
        assertThat(((JdbcEventStorageEngine) storageEngine).getSnapshotSerializer())
                .isSameAs(serializer);
        assertThat(serializer).isInstanceOf(JacksonSerializer.class);
        assertThat(eventSerializer).isInstanceOf(JacksonSerializer.class);
        assertThat(messageSerializer).isInstanceOf(JacksonSerializer.class);
    }
}

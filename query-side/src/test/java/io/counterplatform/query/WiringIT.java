package io.counterplatform.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * In JDBC mode events are read through Axon's JDBC engine and tokens kept by its JDBC token store, never the JPA
 * ones, and everything is serialized with Jackson, never XStream.
 */
@IntegrationTest
class WiringIT {

    @Autowired
    private EventStore eventStore;

    @Autowired
    private EventStorageEngine storageEngine;

    @Autowired
    private TokenStore tokenStore;

    @Autowired
    private Serializer serializer;

    @Autowired
    @Qualifier("eventSerializer")
    private Serializer eventSerializer;

    @Autowired
    @Qualifier("messageSerializer")
    private Serializer messageSerializer;

    @Autowired
    private ApplicationContext context;

    /** Spring MVC writes live streams from a pool with a thread for each stream, up to the stream limit. */
    @Test
    void liveStreamsAreWrittenFromAThreadEachUpToTheStreamLimit(@Autowired RequestMappingHandlerAdapter mvc) {
        ThreadPoolTaskExecutor writers = context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class);

        assertThat(writers.getThreadNamePrefix()).isEqualTo("live-writer-");
        assertThat(writers.getMaxPoolSize()).isEqualTo(1_000);
        assertThat(writers.getCorePoolSize()).isEqualTo(1_000);
        assertThat(writers.getQueueCapacity()).isEqualTo(1_000);
        assertThat(mvc).extracting("taskExecutor").isSameAs(writers);
    }

    @Test
    void eventsAndTokensGoThroughJdbcAsJson() {
        assertThat(eventStore).isInstanceOf(EmbeddedEventStore.class);
        assertThat(storageEngine).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(tokenStore).isInstanceOf(JdbcTokenStore.class);
        assertThat(serializer).isInstanceOf(JacksonSerializer.class);
        assertThat(eventSerializer).isInstanceOf(JacksonSerializer.class);
        assertThat(messageSerializer).isInstanceOf(JacksonSerializer.class);
    }
}

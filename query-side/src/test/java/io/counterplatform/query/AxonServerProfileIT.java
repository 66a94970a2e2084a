package io.counterplatform.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.standin.AxonServerStandIn;
import java.time.Duration;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.query.AxonServerQueryBus;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.queryhandling.QueryBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With the {@code axonserver} profile events are streamed from Axon Server while tokens and read models stay in
 * PostgreSQL; the JDBC event store is not wired. Against an in-memory stand-in that answers as Axon Server does, the
 * processors of the read models' versions are on the server's dashboard beside those the connector shows itself.
 */
@IntegrationTest
@ActiveProfiles("axonserver")
@DirtiesContext // closed with the stand-in, rather than left calling it
class AxonServerProfileIT {

    private static final AxonServerStandIn AXON_SERVER = AxonServerStandIn.start(0);

    @DynamicPropertySource
    static void axonServer(DynamicPropertyRegistry properties) {
        properties.add("axon.axonserver.servers", AXON_SERVER::address);
    }

    @AfterAll
    static void stop() {
        AXON_SERVER.close();
    }

    @Autowired
    private ApplicationContext context;

    @Test
    void eventsAndQueriesGoThroughAxonServerWhileTokensStayInPostgres() {
        assertThat(context.getBean(EventStore.class)).isInstanceOf(AxonServerEventStore.class);
        assertThat(context.getBean(QueryBus.class)).isInstanceOf(AxonServerQueryBus.class);
        assertThat(context.getBean(TokenStore.class)).isInstanceOf(JdbcTokenStore.class);
        assertThat(context.getBeansOfType(EventStorageEngine.class)).isEmpty();
        assertThat(context.getBeansOfType(StreamableMessageSource.class)).hasSize(1);
    }

    @Test
    void everyProcessorIsOnAxonServersDashboard() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(AXON_SERVER.processors().keySet())
                        .contains("webhooks", "counter-summary-1", "counter-series-1"));
    }
}

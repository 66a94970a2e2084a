package io.counterplatform.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.query.AxonServerQueryBus;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.queryhandling.QueryBus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * With the {@code axonserver} profile events are streamed from Axon Server while tokens and read models stay in
 * PostgreSQL; the JDBC event store is not wired. No server is needed for that: nothing listens on the port.
 */
@IntegrationTest
@ActiveProfiles("axonserver")
@TestPropertySource(properties = "axon.axonserver.servers=localhost:1")
@Import(AxonServerProfileIT.ProcessorTokens.class)
class AxonServerProfileIT {

    /**
     * On their very first start the processors ask the server where the stream begins or ends; with no server
     * here, their tokens are made to exist already.
     */
    @TestConfiguration
    static class ProcessorTokens {

        @Bean
        @DependsOn("flywayInitializer")
        InitializingBean processorTokensExist(JdbcTemplate jdbc) {
            return () -> jdbc.update("""
                    INSERT INTO TokenEntry (processorName, segment)
                    VALUES ('webhooks', 0), ('counter-series-1', 0), ('counter-summary-1', 0), ('counter-summary-1', 1),
                           ('counter-summary-1', 2), ('counter-summary-1', 3)
                    """);
        }
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
}

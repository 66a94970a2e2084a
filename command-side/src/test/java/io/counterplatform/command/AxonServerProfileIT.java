package io.counterplatform.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.testsupport.FreshDatabase;
import javax.sql.DataSource;
import org.axonframework.axonserver.connector.command.AxonServerCommandBus;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.query.AxonServerQueryBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryBus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * With the {@code axonserver} profile the same code runs on Axon Server: its event store and buses are wired, the
 * JDBC event store is not, and PostgreSQL holds only the idempotency keys, outside the unit of work's transaction
 * (there is none). No server is needed for that: nothing listens on the port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "axon.axonserver.servers=localhost:1")
@ContextConfiguration(initializers = FreshDatabase.class)
@ActiveProfiles("axonserver")
class AxonServerProfileIT {

    @Autowired
    private ApplicationContext context;

    @Test
    void eventsCommandsAndQueriesGoThroughAxonServer() {
        assertThat(context.getBean(EventStore.class)).isInstanceOf(AxonServerEventStore.class);
        assertThat(context.getBean(CommandBus.class)).isInstanceOf(AxonServerCommandBus.class);
        assertThat(context.getBean(QueryBus.class)).isInstanceOf(AxonServerQueryBus.class);
        assertThat(context.getBeansOfType(EventStorageEngine.class)).isEmpty();
        assertThat(context.getBean(TransactionManager.class)).isSameAs(NoTransactionManager.INSTANCE);
        assertThat(new JdbcTemplate(context.getBean(DataSource.class))
                        .queryForList(
                                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                                        + " AND table_name NOT LIKE 'flyway%'",
                                String.class))
                .containsExactly("idempotency_key");
    }
}

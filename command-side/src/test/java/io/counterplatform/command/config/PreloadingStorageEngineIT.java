package io.counterplatform.command.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The counters of a batch are read in one statement, and each first load of one in that unit of work gets exactly
 * what Axon's own reads give: the latest snapshot and the events after it, or nothing for a new counter.
 */
@IntegrationTest
@TestPropertySource(properties = "counter.snapshot-threshold=3")
class PreloadingStorageEngineIT {

    @LocalServerPort
    private int port;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private Serializer serializer;

    @Autowired
    @Qualifier("eventSerializer")
    private Serializer eventSerializer;

    @Autowired
    private Configuration axon;

    private final AtomicInteger statements = new AtomicInteger();
    private PreloadingStorageEngine engine;

    @BeforeEach
    void engineCountingItsStatements() {
        ConnectionProvider counting = () -> {
            Connection connection = dataSource.getConnection();
            return (Connection) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().startsWith("prepare")) {
                            statements.incrementAndGet();
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException failed) {
                            throw failed.getCause();
                        }
                    });
        };
        engine = new PreloadingStorageEngine(
                JdbcEventStorageEngine.builder()
                        .snapshotSerializer(serializer)
                        .eventSerializer(eventSerializer)
                        .upcasterChain(axon.upcasterChain())
                        .connectionProvider(counting)
                        .transactionManager(NoTransactionManager.INSTANCE),
                axon.snapshotFilter());
    }

    @Test
    void aBatchOfCountersIsReadInOneStatementAndEachLoadGetsWhatAxonReads() {
        Http http = Http.commandSide("http://localhost:" + port);
        for (int i = 0; i < 8; i++) {
            assertThat(http.post("/api/counters/deep/increments", null, null).status())
                    .isEqualTo(200);
        }
        assertThat(http.post("/api/counters/shallow/increments", null, null).status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.queryForObject(
                                "SELECT coalesce(max(sequenceNumber), -1) FROM SnapshotEventEntry"
                                        + " WHERE aggregateIdentifier = 'deep'",
                                Long.class)
                        >= 2);
        List<String> counters = List.of("deep", "shallow", "new");
        Map<String, Loaded> byAxon = counters.stream().collect(Collectors.toMap(id -> id, this::load));
        statements.set(0);

        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        engine.preload(batch, counters);
        int preloading = statements.getAndSet(0);
        Map<String, Loaded> preloaded = counters.stream().collect(Collectors.toMap(id -> id, this::load));
        int loading = statements.getAndSet(0);
        Loaded again = load("deep");
        batch.rollback();

        assertThat(preloading).isEqualTo(1);
        assertThat(loading).isZero();
        assertThat(preloaded).isEqualTo(byAxon);
        long snapshotted = byAxon.get("deep").snapshot().orElseThrow() + 1;
        assertThat(byAxon.get("deep").versions())
                .as("the events after the snapshot, to the eighth increment")
                .isEqualTo(LongStream.rangeClosed(snapshotted + 1, 8).boxed().toList());
        assertThat(byAxon.get("shallow")).isEqualTo(new Loaded(Optional.empty(), List.of(1L)));
        assertThat(byAxon.get("new")).isEqualTo(new Loaded(Optional.empty(), List.of()));
        assertThat(again).as("a second load in the unit reads the store again").isEqualTo(byAxon.get("deep"));
        assertThat(statements.get()).isPositive();
    }

    /**
     * What Axon's event store reads to load a counter: its snapshot's sequence number, and the versions the events
     * after it bring the counter to (read from their payloads, so deserialized).
     */
    private Loaded load(String counter) {
        Optional<Long> snapshot = engine.readSnapshot(counter).map(DomainEventMessage::getSequenceNumber);
        long first = snapshot.map(sequence -> sequence + 1).orElse(0L);
        List<Long> versions = engine.readEvents(counter, first)
                .asStream()
                .map(event -> ((CounterIncremented) event.getPayload()).version())
                .toList();
        return new Loaded(snapshot, versions);
    }

    private record Loaded(Optional<Long> snapshot, List<Long> versions) {}
}

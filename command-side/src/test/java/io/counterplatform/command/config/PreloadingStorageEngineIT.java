package io.counterplatform.command.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.TestPropertySource;

/**
 * The counters of a batch that are not in memory are read in one statement before its commands are handled, and
 * each first load of one in that unit of work gets exactly what Axon's own reads give: the latest snapshot and the
 * events after it, or nothing for a new counter. Every statement the service prepares is recorded.
 */
@IntegrationTest
@TestPropertySource(properties = "counter.snapshot-threshold=5")
@Import(PreloadingStorageEngineIT.RecordedStatements.class)
class PreloadingStorageEngineIT {

    private static final Queue<Prepared> PREPARED = new ConcurrentLinkedQueue<>();
    private static final String PRELOAD = "preloaded_snapshot";
    private static final String AXONS_SNAPSHOT_READ = "FROM SnapshotEventEntry WHERE aggregateIdentifier = ?";

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private EventStorageEngine storageEngine;

    @Autowired
    private Cache counterCache;

    @Autowired
    private TransactionManager transactionManager;

    @Test
    void aBatchOfCountersIsReadInOneStatementAndEachLoadGetsWhatAxonReads() {
        PreloadingStorageEngine engine = (PreloadingStorageEngine) storageEngine;
        Http http = Http.commandSide("http://localhost:" + port);
        for (int i = 0; i < 7; i++) { // one snapshot, after the fifth: the next would take ten
            assertThat(http.post("/api/counters/deep/increments", null, null).status())
                    .isEqualTo(200);
        }
        assertThat(http.post("/api/counters/shallow/increments", null, null).status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM SnapshotEventEntry WHERE aggregateIdentifier = 'deep'",
                                Long.class)
                        == 1);
        Set<String> counters = Set.of("deep", "shallow", "new");
        Map<String, Loaded> byAxon = loadEach(counters, engine);

        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        int before = preparedHere();
        engine.preload(batch, counters);
        int preloading = preparedHere() - before;
        Map<String, Loaded> preloaded = loadEach(counters, engine);
        int loading = preparedHere() - before - preloading;
        Loaded again = load("deep", engine);
        batch.rollback();

        assertThat(preloading).isEqualTo(1);
        assertThat(loading).isZero();
        assertThat(preloaded).isEqualTo(byAxon);
        long snapshotted = byAxon.get("deep").snapshot().orElseThrow() + 1;
        assertThat(byAxon.get("deep").versions())
                .as("the events after the snapshot, to the seventh increment")
                .isEqualTo(LongStream.rangeClosed(snapshotted + 1, 7).boxed().toList());
        assertThat(byAxon.get("shallow")).isEqualTo(new Loaded(Optional.empty(), List.of(1L)));
        assertThat(byAxon.get("new")).isEqualTo(new Loaded(Optional.empty(), List.of()));
        assertThat(again).as("a second load in the unit is Axon's own").isEqualTo(byAxon.get("deep"));
        assertThat(preparedHere()).isGreaterThan(before + preloading);
    }

    @Test
    void aCounterWithASnapshotsWorthOfEventsSinceItsSnapshotIsLeftToAxonsPagedRead() {
        PreloadingStorageEngine engine = (PreloadingStorageEngine) storageEngine;
        transactionManager.executeInTransaction(() -> storageEngine.appendEvents(LongStream.range(0, 5)
                .mapToObj(sequence -> new GenericDomainEventMessage<>(
                        "Counter",
                        "long",
                        sequence,
                        new CounterIncremented("long", 1, sequence + 1, null, sequence + 1)))
                .toList()));

        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        int before = preparedHere();
        engine.preload(batch, Set.of("long"));
        int preloaded = preparedHere();
        Loaded loaded = load("long", engine);
        batch.rollback();

        assertThat(preloaded - before).isEqualTo(1);
        assertThat(preparedHere()).as("Axon's own reads").isGreaterThan(preloaded);
        assertThat(loaded).isEqualTo(new Loaded(Optional.empty(), List.of(1L, 2L, 3L, 4L, 5L)));
    }

    @Test
    void anIncrementOnACounterNotInMemoryReadsItWithItsBatchAndOneInMemoryReadsNothing() {
        Http http = Http.commandSide("http://localhost:" + port);
        for (int i = 0; i < 3; i++) {
            assertThat(http.post("/api/counters/evicted/increments", null, null).status())
                    .isEqualTo(200);
        }
        counterCache.removeAll();
        PREPARED.clear();

        Http.Response notInMemory = http.post("/api/counters/evicted/increments", null, null);
        List<String> readForIt = prepared();
        PREPARED.clear();
        Http.Response inMemory = http.post("/api/counters/evicted/increments", null, null);

        assertThat(notInMemory.body()).isEqualTo("{\"counterId\":\"evicted\",\"value\":4,\"version\":4}");
        assertThat(inMemory.body()).isEqualTo("{\"counterId\":\"evicted\",\"value\":5,\"version\":5}");
        assertThat(readForIt).filteredOn(sql -> sql.contains(PRELOAD)).hasSize(1);
        assertThat(readForIt).noneMatch(sql -> sql.contains(AXONS_SNAPSHOT_READ));
        assertThat(prepared()).noneMatch(sql -> sql.contains(PRELOAD));
    }

    private static Map<String, Loaded> loadEach(Set<String> counters, PreloadingStorageEngine engine) {
        return counters.stream().collect(Collectors.toMap(Function.identity(), id -> load(id, engine)));
    }

    /**
     * What Axon's event store reads to load a counter: its snapshot's sequence number, and the versions the events
     * after it bring the counter to (read from their payloads, so deserialized).
     */
    private static Loaded load(String counter, PreloadingStorageEngine engine) {
        Optional<Long> snapshot = engine.readSnapshot(counter).map(DomainEventMessage::getSequenceNumber);
        long first = snapshot.map(sequence -> sequence + 1).orElse(0L);
        List<Long> versions = engine.readEvents(counter, first)
                .asStream()
                .map(event -> ((CounterIncremented) event.getPayload()).version())
                .toList();
        return new Loaded(snapshot, versions);
    }

    private static int preparedHere() {
        return (int) PREPARED.stream()
                .filter(prepared -> prepared.thread() == Thread.currentThread())
                .count();
    }

    private static List<String> prepared() {
        return PREPARED.stream().map(Prepared::sql).toList();
    }

    private record Loaded(Optional<Long> snapshot, List<Long> versions) {}

    private record Prepared(Thread thread, String sql) {}

    /** The service's data source, recording every statement prepared on its connections. */
    @TestConfiguration(proxyBeanMethods = false)
    static class RecordedStatements {

        @Bean
        static BeanPostProcessor recordingDataSource() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource dataSource && !(bean instanceof Recording)
                            ? new Recording(dataSource)
                            : bean;
                }
            };
        }
    }

    private static final class Recording extends DelegatingDataSource {

        private Recording(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = super.getConnection();
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
                            PREPARED.add(new Prepared(Thread.currentThread(), sql));
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException failed) {
                            throw failed.getCause();
                        }
                    });
        }
    }
}

package io.counterplatform.query.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.axonframework.messaging.responsetypes.ResponseTypes.instanceOf;
import static org.axonframework.messaging.responsetypes.ResponseTypes.optionalInstanceOf;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.counterplatform.api.counter.CounterCommitted;
import io.counterplatform.api.counter.CounterEventView;
import io.counterplatform.api.counter.CounterHistoryPage;
import io.counterplatform.api.counter.CounterPage;
import io.counterplatform.api.counter.CounterSeries;
import io.counterplatform.api.counter.CounterSlice;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.api.counter.FindCounterAt;
import io.counterplatform.api.counter.FindCounterHistory;
import io.counterplatform.api.counter.FindCounterSeries;
import io.counterplatform.api.counter.FindCounters;
import io.counterplatform.api.counter.FindCountersAfter;
import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service with every query, answer and update passing through the Axon Server connector's serializers with
 * the application's serializers ({@link SerializingQueryBus}), as in the {@code axonserver} profile: each comes
 * back as the declared Java type with the same content, and every read of the HTTP contract that asks the query
 * bus works. The in-process query bus never serializes, so only tests like these see what production sees.
 */
@IntegrationTest
@Import({OverTheWire.class, EventStoreWriter.class})
class MessagesOverTheWireIT {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @LocalServerPort
    private int port;

    @Autowired
    private QueryGateway queries;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private JdbcTemplate jdbc;

    private String counterId;
    private CounterView stored;

    @BeforeEach
    void storeTwoIncrements() {
        counterId = "wire-" + UUID.randomUUID();
        events.increment(counterId, 1);
        events.increment(counterId, 2);
        await().atMost(PATIENCE).until(() -> readModelVersion() == 2);
        stored = jdbc.queryForObject(
                "SELECT counter_id, value, version, updated_at FROM counter_summary WHERE counter_id = ?",
                (row, n) -> new CounterView(
                        row.getString(1),
                        row.getLong(2),
                        row.getLong(3),
                        row.getTimestamp(4).toInstant()),
                counterId);
    }

    @Test
    void findCounterComesBackAsACounterViewOrNull(@Autowired QueryBus queryBus) {
        assertThat(queryBus).isInstanceOf(SerializingQueryBus.class);
        assertThat(queries.query(new FindCounter(counterId), CounterView.class).join())
                .isEqualTo(stored);
        assertThat(queries.query(new FindCounter("wire-missing"), CounterView.class)
                        .join())
                .isNull();
    }

    @Test
    void findCountersComesBackAsAPageOfCounterViews() {
        CounterPage page =
                queries.query(new FindCounters(0, 500), CounterPage.class).join();

        assertThat(page.items()).allSatisfy(item -> assertThat(item).isInstanceOf(CounterView.class));
        assertThat(page.items()).contains(stored);
    }

    @Test
    void findCounterAtComesBackAsACounterViewOrNull() {
        assertThat(queries.query(new FindCounterAt(counterId, Instant.now()), CounterView.class)
                        .join())
                .isEqualTo(new CounterView(counterId, 3, 2, stored.updatedAt()));
        assertThat(queries.query(new FindCounterAt(counterId, Instant.EPOCH), CounterView.class)
                        .join())
                .isNull();
    }

    @Test
    void findCounterHistoryComesBackAsAPageOfEventViewsOrNull() {
        CounterHistoryPage history = queries.query(new FindCounterHistory(counterId, 1, 1), CounterHistoryPage.class)
                .join();

        assertThat(history.counterId()).isEqualTo(counterId);
        assertThat(history.items()).singleElement().isInstanceOf(CounterEventView.class);
        assertThat(history.items().get(0).value()).isEqualTo(1);
        assertThat(history.nextFromVersion()).isEqualTo(2L);
        assertThat(queries.query(new FindCounterHistory("wire-missing", 1, 10), CounterHistoryPage.class)
                        .join())
                .isNull();
    }

    @Test
    void aCounterSubscriptionStartsWithACounterViewAndUpdatesWithCounterViews() {
        SubscriptionQueryResult<CounterView, CounterView> subscription = queries.subscriptionQuery(
                new FindCounter(counterId), instanceOf(CounterView.class), instanceOf(CounterView.class));
        try {
            assertThat(subscription.initialResult().block(PATIENCE)).isEqualTo(stored);
            events.increment(counterId, 4);
            CounterView update = subscription.updates().blockFirst(PATIENCE);
            assertThat(update).isEqualTo(new CounterView(counterId, 7, 3, update.updatedAt()));
        } finally {
            subscription.close();
        }
    }

    @Test
    void aSubscriptionToAllCountersStartsWithASliceAndUpdatesWithTheCommittingTransaction() {
        SubscriptionQueryResult<CounterSlice, CounterCommitted> subscription = queries.subscriptionQuery(
                new FindCountersAfter(null, 500), instanceOf(CounterSlice.class), instanceOf(CounterCommitted.class));
        try {
            CounterSlice first = subscription.initialResult().block(PATIENCE);
            String before = counterId.substring(0, counterId.length() - 1);
            CounterSlice slice = queries.query(new FindCountersAfter(before, 1), CounterSlice.class)
                    .join();
            events.increment(counterId, 4);
            CounterCommitted update = subscription.updates().blockFirst(PATIENCE);

            assertThat(first.items()).allSatisfy(item -> assertThat(item).isInstanceOf(CounterView.class));
            assertThat(slice.items()).containsExactly(stored);
            assertThat(update).isInstanceOf(CounterCommitted.class);
            assertThat(update.state()).isInstanceOf(CounterView.class);
            assertThat(update.state().version()).isEqualTo(3);
            // the snapshots the slices were read in did not see the transaction that stored the new version
            assertThat(sees(first.snapshot(), update.transaction())).isFalse();
            assertThat(sees(slice.snapshot(), update.transaction())).isFalse();
            CounterSlice after = queries.query(new FindCountersAfter(before, 1), CounterSlice.class)
                    .join();
            assertThat(sees(after.snapshot(), update.transaction())).isTrue();
        } finally {
            subscription.close();
        }
    }

    /** The failure seen against a real server: an Optional initial result arrives holding a map, not the view. */
    @Test
    void anOptionalInitialResultDoesNotSurviveTheTrip() {
        SubscriptionQueryResult<Optional<CounterView>, CounterView> subscription = queries.subscriptionQuery(
                new FindCounter(counterId), optionalInstanceOf(CounterView.class), instanceOf(CounterView.class));
        try {
            Object initial = subscription.initialResult().block(PATIENCE);
            assertThat(initial).isInstanceOf(Optional.class);
            assertThat(((Optional<?>) initial).orElseThrow()).isNotInstanceOf(CounterView.class);
        } finally {
            subscription.close();
        }
    }

    @Test
    void readYourWriteWaitsForTheVersionOverTheWire() {
        Http http = Http.querySide("http://localhost:" + port);

        assertThat(http.get("/api/counters/" + counterId + "?minVersion=2").body())
                .contains("\"version\":2");
        events.increment(counterId, 4);
        assertThat(http.get("/api/counters/" + counterId + "?minVersion=3&waitMillis=5000")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void bothLiveStreamsStartWithTheCurrentStateAndFollowOverTheWire() {
        String base = "http://localhost:" + port;
        try (SseClient one = SseClient.connect(base + "/api/counters/" + counterId + "/stream");
                SseClient all = SseClient.connect(base + "/api/stream")) {
            assertThat(one.next(PATIENCE).id()).isEqualTo("2");
            events.increment(counterId, 4);

            assertThat(one.next(PATIENCE).id()).isEqualTo("3");
            assertThat(nextOf(all, counterId, "3")).isTrue();
        }
    }

    @Test
    void findCounterSeriesComesBackAsASeriesOfBuckets() {
        Instant from = Instant.now().minus(Duration.ofDays(1));
        Instant to = Instant.now().plus(Duration.ofDays(1));
        await().atMost(PATIENCE)
                .until(() -> !queries.query(new FindCounterSeries(counterId, "day", from, to), CounterSeries.class)
                        .join()
                        .items()
                        .isEmpty());

        CounterSeries series = queries.query(new FindCounterSeries(counterId, "day", from, to), CounterSeries.class)
                .join();

        assertThat(series.counterId()).isEqualTo(counterId);
        assertThat(series.interval()).isEqualTo("day");
        assertThat(series.items()).allSatisfy(item -> assertThat(item).isInstanceOf(CounterSeries.Bucket.class));
        assertThat(series.items().stream()
                        .mapToLong(CounterSeries.Bucket::amount)
                        .sum())
                .isEqualTo(3);
        assertThat(Http.querySide("http://localhost:" + port)
                        .get("/api/counters/" + counterId + "/series?interval=day")
                        .body())
                .contains("\"counterId\":\"" + counterId + "\"", "\"interval\":\"day\"", "\"increments\":");
    }

    /** A new query handler fails here until a case above sends its query over the wire. */
    @Test
    void everyQueryTheServiceAnswersIsCoveredHere() {
        Set<String> answered = new TreeSet<>();
        new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.counterplatform.query")
                .forEach(type -> type.getMethods().stream()
                        .filter(method -> method.isAnnotatedWith(QueryHandler.class))
                        .forEach(method -> answered.add(
                                method.getRawParameterTypes().get(0).getName())));

        assertThat(answered)
                .containsExactlyInAnyOrderElementsOf(List.of(
                        FindCounter.class.getName(),
                        FindCounters.class.getName(),
                        FindCountersAfter.class.getName(),
                        FindCounterAt.class.getName(),
                        FindCounterHistory.class.getName(),
                        FindCounterSeries.class.getName()));
    }

    private static boolean nextOf(SseClient stream, String counterId, String version) {
        for (int i = 0; i < 1_000; i++) {
            SseClient.Event event = stream.next(PATIENCE);
            if (event.data().contains("\"counterId\":\"" + counterId + "\"")
                    && event.id().equals(version)) {
                return true;
            }
        }
        return false;
    }

    /** PostgreSQL's own answer: did a read in the snapshot see what the transaction wrote? */
    private boolean sees(String snapshot, long transaction) {
        return jdbc.queryForObject(
                "SELECT pg_visible_in_snapshot(?::text::xid8, ?::pg_snapshot)", Boolean.class, transaction, snapshot);
    }

    private long readModelVersion() {
        return jdbc
                .query(
                        "SELECT version FROM counter_summary WHERE counter_id = ?",
                        (row, n) -> row.getLong(1),
                        counterId)
                .stream()
                .findFirst()
                .orElse(0L);
    }
}

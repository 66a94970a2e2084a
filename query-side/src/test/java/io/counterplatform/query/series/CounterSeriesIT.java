package io.counterplatform.query.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.query.readmodel.ReadModels;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/** The counter-series read model and {@code GET /api/counters/{id}/series}, fed from the real event store. */
@IntegrationTest
@Import(EventStoreWriter.class)
@TestPropertySource(properties = "counter.admin.api-key=test-key")
class CounterSeriesIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Instant T = Instant.parse("2026-11-27T10:15:30Z");

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private ReadModels readModels;

    @Autowired
    private JdbcClient jdbc;

    private Http http;
    private String counterId;

    @BeforeEach
    void setUp() {
        http = Http.querySide("http://localhost:" + port);
        counterId = "series-" + UUID.randomUUID();
    }

    @Test
    void incrementsAreSummedPerMinuteHourAndDayInUtc() {
        events.incrementAt(counterId, 1, T);
        events.incrementAt(counterId, 2, T.plusSeconds(20)); // the same minute
        events.incrementAt(counterId, 4, T.plusSeconds(40)); // the next minute, the same hour
        events.incrementAt(counterId, 8, T.plusSeconds(3_600)); // the next hour, the same day
        events.incrementAt(counterId, 16, T.plus(Duration.ofDays(2))); // two days later

        String range = "&from=2026-11-27T00:00:00Z&to=2026-11-30T00:00:00Z";
        await().atMost(PATIENCE).until(() -> total(series("day" + range)) == 5);

        assertThat(buckets(series("minute&from=2026-11-27T10:00:00Z&to=2026-11-27T12:00:00Z")))
                .containsExactly("2026-11-27T10:15:00Z 2 3", "2026-11-27T10:16:00Z 1 4", "2026-11-27T11:15:00Z 1 8");
        assertThat(buckets(series("hour" + range)))
                .containsExactly("2026-11-27T10:00:00Z 3 7", "2026-11-27T11:00:00Z 1 8", "2026-11-29T10:00:00Z 1 16");
        assertThat(buckets(series("day" + range)))
                .containsExactly("2026-11-27T00:00:00Z 4 15", "2026-11-29T00:00:00Z 1 16");
        JsonNode answer = series("day" + range);
        assertThat(answer.get("counterId").asText()).isEqualTo(counterId);
        assertThat(answer.get("interval").asText()).isEqualTo("day");
    }

    @Test
    void fromIsRoundedDownToItsBucketAndToIsExclusive() {
        events.incrementAt(counterId, 1, T);
        events.incrementAt(counterId, 1, T.plusSeconds(3_600));
        await().atMost(PATIENCE)
                .until(() -> total(series("hour&from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z")) == 2);

        assertThat(buckets(series("hour&from=2026-11-27T10:59:59Z&to=2026-11-27T11:00:00Z")))
                .containsExactly("2026-11-27T10:00:00Z 1 1");
        assertThat(buckets(series("hour&from=2026-11-27T10:59:59Z&to=2026-11-27T11:00:00.001Z")))
                .containsExactly("2026-11-27T10:00:00Z 1 1", "2026-11-27T11:00:00Z 1 1");
        // later than the hour by less than PostgreSQL's microsecond: still after it
        assertThat(buckets(series("hour&from=2026-11-27T10:59:59Z&to=2026-11-27T11:00:00.000000001Z")))
                .containsExactly("2026-11-27T10:00:00Z 1 1", "2026-11-27T11:00:00Z 1 1");
    }

    @Test
    void withoutARangeTheLastSixtyBucketsUpToNowAreAnswered() {
        Instant now = Instant.now();
        events.incrementAt(counterId, 3, now);
        events.incrementAt(counterId, 5, now.minus(Duration.ofMinutes(59)));
        events.incrementAt(counterId, 7, now.minus(Duration.ofMinutes(61)));
        events.incrementAt(counterId, 9, now.minus(Duration.ofHours(61)));

        await().atMost(PATIENCE).until(() -> total(series("hour")) == 3);
        assertThat(series("minute").get("items"))
                .extracting(item -> item.get("amount").asLong())
                .containsExactly(5L, 3L);
        assertThat(total(series("day"))).isEqualTo(4);
    }

    @Test
    void aCounterWithoutIncrementsHasAnEmptySeries() {
        Response response = http.get("/api/counters/" + counterId + "/series?interval=day");

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response.body()).get("items")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "?interval=week",
                "?interval=MINUTE",
                "?interval=minute&from=2026-11-27T10:00:00Z&to=2026-11-27T10:00:00Z",
                "?interval=minute&from=2026-11-27T11:00:00Z&to=2026-11-27T10:00:00Z",
                "?interval=minute&from=2026-11-27T00:00:00Z&to=2026-11-27T16:41:00Z",
                "?interval=day&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                "?interval=hour&from=yesterday",
                "?interval=hour&to=-999999999-01-01T00:00:00Z",
                "?interval=hour&from=%2B999999999-01-01T00:00:00Z",
                "?interval=hour&from=0000-12-31T23:00:00Z&to=0001-01-01T01:00:00Z",
                "?interval=minute&from=2026-11-27T10:00:30Z&to=2026-11-27T10:00:20Z",
                "?interval=minute&from=2026-11-27T10:00:30Z&to=2026-11-27T10:00:30Z"
            })
    void aBadIntervalOrRangeIs400(String query) {
        Response response = http.get("/api/counters/" + counterId + "/series" + query);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void aMissingIntervalIsNamedInTheProblem() {
        JsonNode problem =
                json(http.get("/api/counters/" + counterId + "/series").body());

        assertThat(problem.get("type").asText()).isEqualTo("urn:counter-platform:problem:invalid-input");
        assertThat(problem.get("title").asText()).isEqualTo("Invalid input");
        assertThat(problem.get("detail").asText()).isEqualTo("interval is required");
    }

    @Test
    void aRangeWithoutToIsRefusedInTheNameOfFrom() {
        String inAnHour = Instant.now().plus(Duration.ofHours(1)).toString();
        String twoDaysAgo = Instant.now().minus(Duration.ofDays(2)).toString();

        assertThat(json(http.get("/api/counters/" + counterId + "/series?interval=minute&from=" + inAnHour)
                                .body())
                        .get("detail")
                        .asText())
                .isEqualTo("from must be before the end of this minute when to is absent");
        assertThat(json(http.get("/api/counters/" + counterId + "/series?interval=minute&from=" + twoDaysAgo)
                                .body())
                        .get("detail")
                        .asText())
                .isEqualTo("from must be at most 1000 minutes ago when to is absent");
    }

    @Test
    void exactlyAThousandBucketsAreAllowed() {
        Response response = http.get("/api/counters/" + counterId + "/series?interval=minute&from=2026-11-27T00:00:00Z"
                + "&to=2026-11-27T16:40:00Z");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void aSeriesProcessorWithoutATokenFillsTheSeriesFromTheFirstEvent() {
        events.incrementAt(counterId, 2, T);
        events.incrementAt(counterId, 3, T.plusSeconds(90));
        String day = "day&from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z";
        await().atMost(PATIENCE).until(() -> total(series(day)) == 2);
        StreamingEventProcessor processor =
                readModels.liveProcessor("counter-series").orElseThrow();

        // as when the read model is deployed onto an existing event store: no token, no rows
        processor.shutDown();
        jdbc.sql("DELETE FROM TokenEntry WHERE processorName = ?")
                .param(processor.getName())
                .update();
        jdbc.sql("DELETE FROM counter_series").update();
        processor.start();

        await().atMost(PATIENCE).until(() -> total(series(day)) == 2);
        assertThat(buckets(series(day))).containsExactly("2026-11-27T00:00:00Z 2 5");
    }

    @Test
    void aRebuildWhileEventsArriveCountsEveryEventOnceAndTheSeriesNeverDrops() throws Exception {
        String day = "day&from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z";
        for (int i = 0; i < 200; i++) {
            events.incrementAt(counterId, 1, T.plusSeconds(i));
        }
        await().atMost(PATIENCE).until(() -> total(series(day)) == 200);

        assertThat(http.post("/api/admin/projections/counter-series/replay", null, null, "X-Api-Key", "test-key")
                        .status())
                .isEqualTo(202);
        long seen = 200;
        for (int i = 200; i < 400; i++) {
            events.incrementAt(counterId, 1, T.plusSeconds(i));
            long now = total(series(day));
            assertThat(now).as("the series never drops while it is rebuilt").isGreaterThanOrEqualTo(seen);
            seen = now;
        }
        await().atMost(PATIENCE)
                .until(() -> http.get("/api/admin/projections", "X-Api-Key", "test-key")
                        .body()
                        .contains("\"name\":\"counter-series\",\"status\":\"RUNNING\""));
        await().atMost(PATIENCE).until(() -> total(series(day)) == 400);
        assertThat(buckets(series(day))).containsExactly("2026-11-27T00:00:00Z 400 400");
    }

    private JsonNode series(String query) {
        Response response = http.get("/api/counters/" + counterId + "/series?interval=" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    /** Each bucket as "start increments amount". */
    private static List<String> buckets(JsonNode series) {
        List<String> buckets = new ArrayList<>();
        series.get("items")
                .forEach(item -> buckets.add(item.get("start").asText() + " "
                        + item.get("increments").asLong() + " "
                        + item.get("amount").asLong()));
        return buckets;
    }

    private static long total(JsonNode series) {
        long increments = 0;
        for (JsonNode item : series.get("items")) {
            increments += item.get("increments").asLong();
        }
        return increments;
    }

    private static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(body, e);
        }
    }
}

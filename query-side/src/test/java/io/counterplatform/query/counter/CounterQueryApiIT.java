package io.counterplatform.query.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/** Every query-side read of the HTTP contract, fed by events appended to the real event store. */
@IntegrationTest
@Import(EventStoreWriter.class)
class CounterQueryApiIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    private Http http;
    private String counterId;

    @BeforeEach
    void setUp() {
        http = Http.querySide("http://localhost:" + port);
        counterId = "q-" + UUID.randomUUID();
    }

    @Test
    void aCounterIsReadOnceTheProjectionHasIt() {
        events.increment(counterId, 5);
        events.increment(counterId, 2);

        Response response = http.get("/api/counters/" + counterId + "?minVersion=2");

        assertThat(response.status()).isEqualTo(200);
        JsonNode counter = json(response);
        assertThat(counter.get("counterId").asText()).isEqualTo(counterId);
        assertThat(counter.get("value").asLong()).isEqualTo(7);
        assertThat(counter.get("version").asLong()).isEqualTo(2);
        assertThat(Instant.parse(counter.get("updatedAt").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(json(http.get("/api/counters/" + counterId))).isEqualTo(counter);
    }

    @Test
    void aCounterWithoutEventsIs404() {
        assertProblem(http.get("/api/counters/" + counterId), 404);
    }

    @Test
    void minVersionWaitsForAnEventThatArrivesWhileWaiting() {
        events.increment(counterId, 1);
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(
                () -> http.get("/api/counters/" + counterId + "?minVersion=3&waitMillis=20000"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !waiting.isDone());
        events.increment(counterId, 1);
        events.increment(counterId, 1);

        Response response = waiting.join();

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("version").asLong()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void minVersionNotReachedInTimeIs503WithRetryAfter() {
        events.increment(counterId, 1);

        Response response = http.get("/api/counters/" + counterId + "?minVersion=2&waitMillis=200");

        assertProblem(response, 503);
        assertThat(response.header("Retry-After")).isPresent();
    }

    @Test
    void minVersionOnACounterThatNeverAppearsIs503() {
        assertProblem(http.get("/api/counters/" + counterId + "?minVersion=1&waitMillis=0"), 503);
    }

    @Test
    void theListIsPagedAndSortedById() {
        String prefix = "list-" + UUID.randomUUID() + "-";
        for (String suffix : new String[] {"c", "a", "b"}) {
            events.increment(prefix + suffix, 1);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> http.get("/api/counters/" + prefix + "b").status() == 200);

        JsonNode all = json(http.get("/api/counters?page=0&size=500"));
        JsonNode firstTwo = json(http.get("/api/counters?page=0&size=2"));

        assertThat(all.get("totalItems").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(all.get("page").asInt()).isZero();
        assertThat(all.get("size").asInt()).isEqualTo(500);
        assertThat(firstTwo.get("items")).hasSize(2);
        assertThat(all.get("items").findValuesAsText("counterId")).isSorted().contains(prefix + "a", prefix + "b");
        assertThat(json(http.get("/api/counters")).get("size").asInt()).isEqualTo(50);
    }

    @Test
    void everyPageTellsTheSameTotalWhetherItCountsTheRowsOrSeesTheEnd() {
        for (String suffix : new String[] {"x", "y", "z"}) {
            events.increment("total-" + UUID.randomUUID() + suffix, 1);
        }
        // a full page counts the rows, a short one sees where they end, a page past the end counts: all agree
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            long total = json(http.get("/api/counters?page=0&size=2"))
                    .get("totalItems")
                    .asLong();
            assertThat(total).isGreaterThanOrEqualTo(3);
            for (String page : List.of("page=0&size=500", "page=" + (total - 1) / 2 + "&size=2", "page=99999&size=2")) {
                assertThat(json(http.get("/api/counters?" + page))
                                .get("totalItems")
                                .asLong())
                        .as(page)
                        .isEqualTo(total);
            }
        });
    }

    @Test
    void eventsArePagedInVersionOrderFromTheEventStore() {
        for (int amount = 1; amount <= 5; amount++) {
            events.increment(counterId, amount);
        }

        JsonNode first = json(http.get("/api/counters/" + counterId + "/events?limit=2"));
        JsonNode last = json(http.get("/api/counters/" + counterId + "/events?fromVersion=5&limit=2"));

        assertThat(first.get("counterId").asText()).isEqualTo(counterId);
        assertThat(first.get("items").findValuesAsText("version")).containsExactly("1", "2");
        assertThat(first.get("items").get(1).get("amount").asLong()).isEqualTo(2);
        assertThat(first.get("items").get(1).get("value").asLong()).isEqualTo(3);
        assertThat(first.get("items").get(1).get("eventId").asText()).isNotBlank();
        assertThat(first.get("items").get(1).get("timestamp").asText()).isNotBlank();
        assertThat(first.get("nextFromVersion").asLong()).isEqualTo(3);
        assertThat(last.get("items").findValuesAsText("version")).containsExactly("5");
        assertThat(last.get("nextFromVersion").isNull()).isTrue();
        assertProblem(http.get("/api/counters/" + counterId + "-none/events"), 404);
    }

    @Test
    void atReadsTheStateAsOfAnInstantFromTheEventStore() {
        events.increment(counterId, 5);
        Instant between = Instant.now();
        await().until(() -> Instant.now().isAfter(between));
        events.increment(counterId, 2);

        JsonNode then = json(http.get("/api/counters/" + counterId + "?at=" + between));
        JsonNode now = json(
                http.get("/api/counters/" + counterId + "?at=" + Instant.now().plusSeconds(1)));

        assertThat(then.get("value").asLong()).isEqualTo(5);
        assertThat(then.get("version").asLong()).isEqualTo(1);
        assertThat(now.get("value").asLong()).isEqualTo(7);
        assertProblem(http.get("/api/counters/" + counterId + "?at=2020-01-01T00:00:00Z"), 404);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/counters/-bad",
                "/api/counters/a%20b",
                "/api/counters/ok?minVersion=-1",
                "/api/counters/ok?minVersion=x",
                "/api/counters/ok?minVersion=1&waitMillis=30001",
                "/api/counters/ok?minVersion=1&waitMillis=-1",
                "/api/counters/ok?at=yesterday",
                "/api/counters/ok?at=2026-11-27T10:00:00Z&minVersion=1",
                "/api/counters?size=0",
                "/api/counters?size=501",
                "/api/counters?page=-1",
                "/api/counters?page=x",
                "/api/counters/-bad/events",
                "/api/counters/ok/events?limit=0",
                "/api/counters/ok/events?limit=1001",
                "/api/counters/ok/events?fromVersion=0"
            })
    void anInvalidReadIs400(String path) {
        assertProblem(http.get(path), 400);
    }

    private static void assertProblem(Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("urn:counter-platform:problem:");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static JsonNode json(Response response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
    }
}

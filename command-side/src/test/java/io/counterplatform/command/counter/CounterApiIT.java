package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every command-side row of the HTTP contract, against the running application and real PostgreSQL. */
@IntegrationTest
class CounterApiIT {

    private static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    private Http http;
    private String counterId;

    @BeforeEach
    void setUp() {
        http = Http.commandSide("http://localhost:" + port);
        counterId = "c-" + UUID.randomUUID();
    }

    @Test
    void firstIncrementCreatesTheCounterAtVersionOne() {
        Response response = increment(JSON, "{\"amount\":5}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(json("{\"counterId\":\"" + counterId + "\",\"value\":5,\"version\":1}"));
        assertThat(response.header("ETag")).contains("\"1\"");
        assertThat(storedEvents()).isEqualTo(1);
    }

    @Test
    void anAbsentBodyOrAmountMeansOne() {
        assertThat(json(increment(null, null)).get("value").asLong()).isEqualTo(1);
        assertThat(json(increment(JSON, "")).get("value").asLong()).isEqualTo(2);
        assertThat(json(increment(JSON, "{}")).get("value").asLong()).isEqualTo(3);
        assertThat(json(increment(JSON, "{}")).get("version").asLong()).isEqualTo(4);
        // what a client generated from the OpenAPI document sends for an absent optional body
        assertThat(json(increment(JSON, "null")).get("value").asLong()).isEqualTo(5);
    }

    @Test
    void theLargestAmountIsAccepted() {
        Response response = increment(JSON, "{\"amount\":9223372036854775807}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("value").asLong()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswerAndAppendsNothing() {
        increment(JSON, "{\"amount\":1}");
        Response first = increment(JSON, "{\"amount\":2}", "Idempotency-Key", "key-1");
        increment(JSON, "{\"amount\":3}");

        Response retry = increment(JSON, "{\"amount\":2}", "Idempotency-Key", "key-1");

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).contains("true");
        assertThat(first.header("Idempotent-Replayed")).isEmpty();
        assertThat(json(retry)).isEqualTo(json(first));
        assertThat(json(retry).get("value").asLong()).isEqualTo(3);
        assertThat(storedEvents()).isEqualTo(3);
    }

    @Test
    void theSameKeyOnAnotherCounterIsAnotherIncrement() {
        increment(JSON, "{\"amount\":2}", "Idempotency-Key", "shared");
        Response other = http.post(
                "/api/counters/" + counterId + "-other/increments",
                JSON,
                "{\"amount\":2}",
                "Idempotency-Key",
                "shared");

        assertThat(other.status()).isEqualTo(200);
        assertThat(other.header("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void theSameKeyWithAnotherAmountIs422AndAppendsNothing() {
        increment(JSON, "{\"amount\":2}", "Idempotency-Key", "key-1");

        Response response = increment(JSON, "{\"amount\":3}", "Idempotency-Key", "key-1");

        assertProblem(response, 422, "idempotency-key-reused");
        assertThat(storedEvents()).isEqualTo(1);
    }

    @Test
    void ifMatchOnTheCurrentVersionIncrements() {
        increment(JSON, "{\"amount\":2}");

        Response response = increment(JSON, "{\"amount\":2}", "If-Match", "\"1\"");

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("version").asLong()).isEqualTo(2);
    }

    @Test
    void ifMatchOnAnotherVersionIs412AndAppendsNothing() {
        increment(JSON, "{\"amount\":2}");
        increment(JSON, "{\"amount\":2}");

        Response response = increment(JSON, "{\"amount\":2}", "If-Match", "\"1\"");

        assertProblem(response, 412, "version-mismatch");
        assertThat(response.header("ETag")).contains("\"2\"");
        assertThat(storedEvents()).isEqualTo(2);
    }

    @Test
    void ifMatchOnACounterWithoutEventsIs412AndLeavesItNew() {
        assertProblem(increment(null, null, "If-Match", "\"3\""), 412, "version-mismatch");

        Response first = increment(null, null);

        assertThat(json(first).get("version").asLong()).isEqualTo(1);
        assertThat(storedEvents()).isEqualTo(1);
    }

    @Test
    void ifMatchZeroCreatesOnlyANewCounter() {
        assertThat(increment(null, null, "If-Match", "\"0\"").status()).isEqualTo(200);
        assertProblem(increment(null, null, "If-Match", "\"0\""), 412, "version-mismatch");
    }

    @Test
    void passingTheLargestValueIs409AndAppendsNothing() {
        increment(JSON, "{\"amount\":9223372036854775806}");

        assertThat(increment(JSON, "{\"amount\":1}").status()).isEqualTo(200);
        assertProblem(increment(JSON, "{\"amount\":1}"), 409, "overflow");
        assertThat(storedEvents()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"amount\":0}",
                "{\"amount\":-1}",
                "{\"amount\":-9223372036854775808}",
                "{\"amount\":9223372036854775808}",
                "{\"amount\":1.5}",
                "{\"amount\":1.0}",
                "{\"amount\":1e2}",
                "{\"amount\":\"5\"}",
                "{\"amount\":true}",
                "{\"amount\":null}",
                "{\"amount\":[1]}",
                "{\"amount\":{}}",
                "{\"amount\":1,\"other\":2}",
                "{\"other\":2}",
                "{\"amount\":1,\"amount\":2}",
                "{\"amount\":1} trailing",
                "{\"amount\":",
                "[1]",
                "\"1\"",
                "1",
                "not json"
            })
    void anInvalidBodyIs400AndChangesNothing(String body) {
        assertProblem(increment(JSON, body), 400, null);
        assertThat(storedEvents()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"amount\":1.5}", "{\"amount\":\"5\"}", "{\"amount\":true}"})
    void anAmountOfTheWrongTypeIsAnsweredWithTheAmountsRule(String body) {
        Response response = increment(JSON, body);
        assertProblem(response, 400, "malformed-body");
        assertThat(json(response).get("detail").asText())
                .isEqualTo("amount must be an integer from 1 to " + Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a", "_a", ".a", "a%20b", "a*", "%C3%A4", "a+b", "a:b"})
    void anInvalidIdIs400(String id) {
        assertProblem(http.post("/api/counters/" + id + "/increments", JSON, "{}"), 400, "invalid-input");
    }

    @Test
    void anIdOfSixtyFiveCharactersIs400ButSixtyFourIsFine() {
        String sixtyFour = "a".repeat(64);
        assertThat(http.post("/api/counters/" + sixtyFour + "/increments", null, null)
                        .status())
                .isEqualTo(200);
        assertProblem(http.post("/api/counters/" + sixtyFour + "a/increments", null, null), 400, "invalid-input");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml"})
    void aBodyThatIsNotJsonIs415(String contentType) {
        assertProblem(increment(contentType, "amount=1"), 415, "unsupported-media-type");
        assertThat(storedEvents()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "\"-1\"", "W/\"1\"", "\"x\"", "\"99999999999999999999\"", "*"})
    void anUnreadableIfMatchIs400(String ifMatch) {
        assertProblem(increment(null, null, "If-Match", ifMatch), 400, "invalid-input");
        assertThat(storedEvents()).isZero();
    }

    @Test
    void anIdempotencyKeyOutsideVisibleAsciiOrLongerThan128Is400() {
        assertProblem(increment(null, null, "Idempotency-Key", "k".repeat(129)), 400, "invalid-input");
        assertProblem(increment(null, null, "Idempotency-Key", "with space"), 400, "invalid-input");
        assertThat(increment(null, null, "Idempotency-Key", "k".repeat(128)).status())
                .isEqualTo(200);
    }

    @Test
    void theClassicCallCountsTheDefaultCounter() {
        long before = json(http.post("/increment", null, null)).get("count").asLong();

        Response response = http.post("/increment", null, null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(json("{\"count\":" + (before + 1) + "}"));
    }

    @Test
    void theClassicCallHonoursIfMatchAsTheCounterCallDoes() {
        Response first = http.post("/increment", null, null);
        String etag = first.header("ETag").orElseThrow();
        long version = Long.parseLong(etag.replace("\"", ""));
        long count = json(first).get("count").asLong();

        Response stale = http.post("/increment", null, null, "If-Match", "\"" + (version - 1) + "\"");
        Response current = http.post("/increment", null, null, "If-Match", etag);

        assertProblem(stale, 412, "version-mismatch");
        assertThat(current.status()).isEqualTo(200);
        assertThat(json(current).get("count").asLong()).isEqualTo(count + 1);
        assertProblem(http.post("/increment", null, null, "If-Match", "5"), 400, "invalid-input");
    }

    @Test
    void anUnknownPathIsAProblemToo() {
        assertProblem(http.get("/api/nothing-here"), 404, "not-found");
        assertProblem(http.get("/api/counters/" + counterId + "/increments"), 405, null);
    }

    private Response increment(String contentType, String body, String... headers) {
        return http.post("/api/counters/" + counterId + "/increments", contentType, body, headers);
    }

    private long storedEvents() {
        return jdbc.queryForObject(
                "SELECT count(*) FROM DomainEventEntry WHERE aggregateIdentifier = ?", Long.class, counterId);
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("type").asText()).startsWith("urn:counter-platform:problem:");
        if (type != null) {
            assertThat(problem.get("type").asText()).endsWith(":" + type);
        }
    }

    private static JsonNode json(Response response) {
        return json(response.body());
    }

    private static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(body, e);
        }
    }
}

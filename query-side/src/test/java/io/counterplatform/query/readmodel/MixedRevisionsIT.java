package io.counterplatform.query.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** A history written partly as revision 1 (no version) and partly as revision 2 reads, projects and replays alike. */
@IntegrationTest
@TestPropertySource(properties = "counter.admin.api-key=test-key")
class MixedRevisionsIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aStreamOfMixedRevisionsIsProjectedAndReplayedTheSame() throws Exception {
        String counter = "mixed-" + UUID.randomUUID();
        store(counter, 0, "1", "{\"counterId\":\"" + counter + "\",\"amount\":5,\"value\":5,\"idempotencyKey\":null}");
        store(counter, 1, "1", "{\"counterId\":\"" + counter + "\",\"amount\":2,\"value\":7,\"idempotencyKey\":\"k\"}");
        store(
                counter,
                2,
                "2",
                "{\"counterId\":\"" + counter + "\",\"amount\":1,\"value\":8,\"idempotencyKey\":null,\"version\":3}");
        Http http = Http.querySide("http://localhost:" + port);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get("/api/counters/" + counter).body().contains("\"version\":3"));
        JsonNode history =
                MAPPER.readTree(http.get("/api/counters/" + counter + "/events").body());
        assertThat(history.get("items").findValuesAsText("version")).containsExactly("1", "2", "3");
        assertThat(history.get("items").findValuesAsText("value")).containsExactly("5", "7", "8");

        jdbc.update("DELETE FROM counter_summary WHERE counter_id = ?", counter);
        assertThat(http.post("/api/admin/projections/counter-summary/replay", null, null, "X-Api-Key", "test-key")
                        .status())
                .isEqualTo(202);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get("/api/counters/" + counter).status() == 200);
        JsonNode rebuilt = MAPPER.readTree(http.get("/api/counters/" + counter).body());
        assertThat(rebuilt.get("value").asLong()).isEqualTo(8);
        assertThat(rebuilt.get("version").asLong()).isEqualTo(3);
    }

    @Test
    void anEventFromANewerWriterWithAFieldThisVersionDoesNotKnowIsProjected() {
        String counter = "newer-" + UUID.randomUUID();
        store(
                counter,
                0,
                "2",
                "{\"counterId\":\"" + counter
                        + "\",\"amount\":5,\"value\":5,\"idempotencyKey\":null,\"version\":1,\"region\":\"eu\"}");
        Http http = Http.querySide("http://localhost:" + port);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get("/api/counters/" + counter).body().contains("\"value\":5"));
        assertThat(http.get("/api/counters/" + counter + "/events").body()).contains("\"value\":5");
    }

    private void store(String counter, long sequenceNumber, String revision, String json) {
        jdbc.update(
                """
                INSERT INTO DomainEventEntry (aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData,
                                              payload, payloadRevision, payloadType, timeStamp)
                VALUES (?, ?, 'Counter', ?, ?, ?, ?, 'io.counterplatform.api.counter.CounterIncremented', ?)
                """,
                counter,
                sequenceNumber,
                UUID.randomUUID().toString(),
                "{}".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8),
                revision,
                Instant.now().toString());
    }
}

package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** A counter whose history began before events carried their version loads and counts on correctly. */
@IntegrationTest
class MixedRevisionsIT {

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aCounterWithRevisionOneEventsCountsOnAndRemembersItsKeys() {
        String counter = "old-" + UUID.randomUUID();
        storeRevisionOne(
                counter, 0, "{\"counterId\":\"" + counter + "\",\"amount\":5,\"value\":5,\"idempotencyKey\":\"a\"}");
        storeRevisionOne(
                counter, 1, "{\"counterId\":\"" + counter + "\",\"amount\":2,\"value\":7,\"idempotencyKey\":null}");
        // the key's record, naming the version its event was given; the event itself tells the rest
        jdbc.update(
                "INSERT INTO idempotency_key (counter_id, idempotency_key, versions, first_used_at)"
                        + " VALUES (?, 'a', ARRAY[1]::bigint[], now())",
                counter);
        Http http = Http.commandSide("http://localhost:" + port);

        String next = http.post("/api/counters/" + counter + "/increments", null, null)
                .body();
        Http.Response retry = http.post(
                "/api/counters/" + counter + "/increments",
                "application/json",
                "{\"amount\":5}",
                "Idempotency-Key",
                "a");

        assertThat(next).isEqualTo("{\"counterId\":\"" + counter + "\",\"value\":8,\"version\":3}");
        assertThat(retry.header("Idempotent-Replayed")).contains("true");
        assertThat(retry.body()).isEqualTo("{\"counterId\":\"" + counter + "\",\"value\":5,\"version\":1}");
        assertThat(jdbc.queryForObject(
                        "SELECT payloadRevision FROM DomainEventEntry WHERE aggregateIdentifier = ? AND sequenceNumber = 2",
                        String.class,
                        counter))
                .isEqualTo("2");
    }

    @Test
    void anEventFromANewerWriterWithAFieldThisVersionDoesNotKnowIsRead() {
        String counter = "newer-" + UUID.randomUUID();
        store(
                counter,
                0,
                "2",
                "{\"counterId\":\"" + counter
                        + "\",\"amount\":5,\"value\":5,\"idempotencyKey\":null,\"version\":1,\"region\":\"eu\"}");

        String next = Http.commandSide("http://localhost:" + port)
                .post("/api/counters/" + counter + "/increments", null, null)
                .body();

        assertThat(next).isEqualTo("{\"counterId\":\"" + counter + "\",\"value\":6,\"version\":2}");
    }

    private void storeRevisionOne(String counter, long sequenceNumber, String json) {
        store(counter, sequenceNumber, "1", json);
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

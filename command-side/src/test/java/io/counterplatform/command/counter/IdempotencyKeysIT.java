package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A key is remembered for its retention whatever the counter's rate, in a table of its own: written with the event,
 * read back through the event store, forgotten and swept once the retention has passed. A key whose record names a
 * version that never held its event (a try that reserved the key and never reached the store, as on Axon Server) is
 * used anew, exactly once.
 */
@IntegrationTest
class IdempotencyKeysIT {

    private static final String JSON = "application/json";

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private KeyTable keys;

    private Http http;
    private String counter;

    @BeforeEach
    void setUp() {
        http = Http.commandSide("http://localhost:" + port);
        counter = "keys-" + UUID.randomUUID();
    }

    @Test
    void aRetryAfterMoreKeyedIncrementsThanAnyWindowIsAnsweredAsTheFirst() throws Exception {
        Response first = increment("the-first", 3);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> later = new ArrayList<>();
            for (int i = 0; i < 12_000; i++) {
                String key = "later-" + i;
                later.add(clients.submit(() -> increment(key, 1)));
            }
            for (Future<Response> answer : later) {
                assertThat(answer.get().status()).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }

        Response retry = increment("the-first", 3);

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).contains("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(storedEvents()).isEqualTo(12_001);
        assertThat(increment("the-first", 4).status()).isEqualTo(422);
    }

    @Test
    void aKeyIsWrittenWithItsEventAndNamesItsVersion() {
        increment(null, 1);
        increment("k-1", 2);

        assertThat(jdbc.queryForObject(
                        "SELECT array_to_string(versions, ',') FROM idempotency_key WHERE counter_id = ?",
                        String.class,
                        counter))
                .isEqualTo("2");
    }

    @Test
    void aKeyPastItsRetentionIsCountedAnewAndSweptAway() {
        Response first = increment("old", 1);
        jdbc.update(
                "UPDATE idempotency_key SET first_used_at = now() - interval '25 hours' WHERE counter_id = ?", counter);

        Response again = increment("old", 1);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEmpty();
        assertThat(again.body()).isNotEqualTo(first.body());
        assertThat(storedEvents()).isEqualTo(2);
        assertThat(increment("old", 1).header("Idempotent-Replayed")).contains("true");

        jdbc.update(
                "UPDATE idempotency_key SET first_used_at = now() - interval '25 hours' WHERE counter_id = ?", counter);
        keys.sweep();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM idempotency_key WHERE counter_id = ?", Long.class, counter))
                .isZero();
    }

    @Test
    void aKeyReservedForAVersionThatHoldsAnotherEventIsUsedAnewOnce() {
        increment(null, 1);
        // a try reserved version 2 and never reached the store; another increment took version 2 since
        reserve("lost", 2);
        increment(null, 1);

        Response retry = increment("lost", 5);
        Response again = increment("lost", 5);

        assertThat(retry.header("Idempotent-Replayed")).isEmpty();
        assertThat(retry.body()).endsWith("\"value\":7,\"version\":3}");
        assertThat(again.header("Idempotent-Replayed")).contains("true");
        assertThat(again.body()).isEqualTo(retry.body());
        assertThat(storedEvents()).isEqualTo(3);
    }

    @Test
    void aKeyReservedForAVersionTheCounterHasNotReachedIsUsedOnceAtTheNextVersion() {
        increment(null, 1);
        // a try still under way (as far as anyone knows) reserved version 2; the retry takes version 2 itself
        reserve("in-flight", 2);

        Response retry = increment("in-flight", 5);

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body()).endsWith("\"value\":6,\"version\":2}");
        assertThat(jdbc.queryForObject(
                        "SELECT array_to_string(versions, ',') FROM idempotency_key WHERE counter_id = ?",
                        String.class,
                        counter))
                .isEqualTo("2");
        assertThat(increment("in-flight", 5).header("Idempotent-Replayed")).contains("true");
    }

    private void reserve(String key, long version) {
        jdbc.update(
                "INSERT INTO idempotency_key (counter_id, idempotency_key, versions, first_used_at)"
                        + " VALUES (?, ?, ARRAY[?]::bigint[], now())",
                counter,
                key,
                version);
    }

    private Response increment(String key, long amount) {
        String body = "{\"amount\":" + amount + "}";
        String path = "/api/counters/" + counter + "/increments";
        return key == null ? http.post(path, JSON, body) : http.post(path, JSON, body, "Idempotency-Key", key);
    }

    private long storedEvents() {
        return jdbc.queryForObject(
                "SELECT count(*) FROM DomainEventEntry WHERE aggregateIdentifier = ?", Long.class, counter);
    }
}

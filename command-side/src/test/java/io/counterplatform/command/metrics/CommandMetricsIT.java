package io.counterplatform.command.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** Every metric that explains the command side's speed moves when its event happens. */
@IntegrationTest
@AutoConfigureObservability(tracing = false) // tests export no metrics unless asked
@TestPropertySource(properties = {"counter.admin.api-key=metrics-admin-key", "counter.snapshot-threshold=5"})
class CommandMetricsIT {

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void incrementsAreCountedAndTimedByOutcome() {
        String counter = "/api/counters/metrics-" + UUID.randomUUID() + "/increments";
        double accepted = metric("counter_increments_seconds_count\\{[^}]*outcome=\"accepted\"[^}]*}");
        double replayed = metric("counter_increments_seconds_count\\{[^}]*outcome=\"replayed\"[^}]*}");
        double mismatched = metric("counter_increments_seconds_count\\{[^}]*outcome=\"version-mismatch\"[^}]*}");

        http().post(counter, null, null, "Idempotency-Key", "k");
        http().post(counter, null, null, "Idempotency-Key", "k");
        http().post(counter, null, null, "If-Match", "\"7\"");

        assertThat(metric("counter_increments_seconds_count\\{[^}]*outcome=\"accepted\"[^}]*}"))
                .isEqualTo(accepted + 1);
        assertThat(metric("counter_increments_seconds_count\\{[^}]*outcome=\"replayed\"[^}]*}"))
                .isEqualTo(replayed + 1);
        assertThat(metric("counter_increments_seconds_count\\{[^}]*outcome=\"version-mismatch\"[^}]*}"))
                .isEqualTo(mismatched + 1);
        assertThat(scrape()).contains("counter_increments_seconds_bucket{");
    }

    @Test
    void theCacheTheLoadsAndTheBatchesAreMeasured() {
        // a counter with a history the cache has never seen: its first command loads one event from the store
        String id = "metrics-" + UUID.randomUUID();
        jdbc.update(
                """
                INSERT INTO DomainEventEntry (aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData,
                                              payload, payloadRevision, payloadType, timeStamp)
                VALUES (?, 0, 'Counter', ?, '{}'::bytea, convert_to(?, 'UTF8'), '2',
                        'io.counterplatform.api.counter.CounterIncremented', '2026-11-27T10:00:00Z')
                """,
                id,
                UUID.randomUUID().toString(),
                "{\"counterId\":\"" + id + "\",\"amount\":1,\"value\":1,\"idempotencyKey\":null,\"version\":1}");
        String counter = "/api/counters/" + id + "/increments";
        double misses = metric("cache_gets_total\\{[^}]*cache=\"counters\"[^}]*result=\"miss\"[^}]*}");
        double hits = metric("cache_gets_total\\{[^}]*cache=\"counters\"[^}]*result=\"hit\"[^}]*}");
        double loads = metric("counter_aggregate_events_loaded_count\\{[^}]*}");
        double batches = metric("counter_commands_batch_size_count\\{[^}]*}");

        http().post(counter, null, null);
        http().post(counter, null, null);

        assertThat(metric("cache_gets_total\\{[^}]*cache=\"counters\"[^}]*result=\"miss\"[^}]*}"))
                .isEqualTo(misses + 1);
        assertThat(metric("cache_gets_total\\{[^}]*cache=\"counters\"[^}]*result=\"hit\"[^}]*}"))
                .isEqualTo(hits + 1);
        assertThat(metric("counter_aggregate_events_loaded_count\\{[^}]*}")).isEqualTo(loads + 1);
        assertThat(metric("counter_commands_batch_size_count\\{[^}]*}")).isEqualTo(batches + 2);
        assertThat(scrape()).contains("counter_commands_queued{");
    }

    @Test
    void snapshotsTakenAreCounted() {
        double taken = metric("counter_aggregate_snapshots_total\\{[^}]*}");
        String counter = "/api/counters/snapshotted-" + UUID.randomUUID() + "/increments";

        for (int i = 0; i < 7; i++) {
            http().post(counter, null, null);
        }

        assertThat(metric("counter_aggregate_snapshots_total\\{[^}]*}")).isGreaterThanOrEqualTo(taken + 1);
    }

    private double metric(String series) {
        Matcher value = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape());
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    private String scrape() {
        return http().get("/actuator/prometheus", "X-Api-Key", "metrics-admin-key")
                .body();
    }

    private Http http() {
        return Http.commandSide("http://localhost:" + port);
    }
}

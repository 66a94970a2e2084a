package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.launcher.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A store written by a version that kept keys in each counter's state: the migration to the key table carries over
 * the keys of the last day's increments, with the version each was stored at, and leaves older ones behind.
 */
class KeysAcrossTheUpgradeIT {

    @Test
    void theKeysOfTheLastDayMoveToTheKeyTable() {
        DriverManagerDataSource database = new DriverManagerDataSource(
                LocalPostgres.shared().newDatabase("upgrade"), LocalPostgres.USER, LocalPostgres.PASSWORD);
        JdbcTemplate jdbc = new JdbcTemplate(database);
        migrate(database, "2");
        Instant now = Instant.now();
        store(
                jdbc,
                "a",
                0,
                "1",
                "{\"counterId\":\"a\",\"amount\":1,\"value\":1,\"idempotencyKey\":\"old\"}",
                now.minus(Duration.ofDays(2)));
        store(
                jdbc,
                "a",
                1,
                "1",
                "{\"counterId\":\"a\",\"amount\":2,\"value\":3,\"idempotencyKey\":\"recent\"}",
                now.minusSeconds(60));
        store(
                jdbc,
                "a",
                2,
                "2",
                "{\"counterId\":\"a\",\"amount\":1,\"value\":4,\"idempotencyKey\":null,\"version\":3}",
                now);
        store(
                jdbc,
                "b",
                0,
                "2",
                "{\"counterId\":\"b\",\"amount\":1,\"value\":1,\"idempotencyKey\":\"recent\",\"version\":1}",
                now);

        migrate(database, "latest");

        assertThat(jdbc.queryForList(
                        "SELECT counter_id || ' ' || idempotency_key || ' ' || array_to_string(versions, ',')"
                                + " FROM idempotency_key ORDER BY counter_id",
                        String.class))
                .isEqualTo(List.of("a recent 2", "b recent 1"));
    }

    private static void migrate(DriverManagerDataSource database, String target) {
        Flyway.configure()
                .dataSource(database)
                .table("flyway_command_side_history")
                .locations("classpath:db/event-store", "classpath:db/idempotency")
                .target(target)
                .load()
                .migrate();
    }

    private static void store(
            JdbcTemplate jdbc, String counter, long sequence, String revision, String json, Instant at) {
        jdbc.update(
                """
                INSERT INTO DomainEventEntry (aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData,
                                              payload, payloadRevision, payloadType, timeStamp)
                VALUES (?, ?, 'Counter', ?, ?, ?, ?, 'io.counterplatform.api.counter.CounterIncremented', ?)
                """,
                counter,
                sequence,
                UUID.randomUUID().toString(),
                "{}".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8),
                revision,
                at.toString());
    }
}

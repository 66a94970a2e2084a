package io.counterplatform.query.webhook;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code webhook_delivery} outbox. Only the oldest version of each (subscription, counter) is ever due, so a
 * failing or dead delivery holds back the later ones of that counter for that subscription, and nothing else.
 * Claims are row locks skipped by other instances, then a lease, so any number of instances can deliver.
 */
@Component
class DeliveryQueue {

    /** As stored in {@code webhook_delivery.status}. */
    enum Status {
        PENDING,
        DEAD
    }

    private final NamedParameterJdbcTemplate jdbc;

    DeliveryQueue(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An event as the outbox needs it. */
    record Event(
            String eventId,
            String counterId,
            long version,
            long amount,
            long value,
            Instant occurredAt,
            long position,
            String traceParent) {}

    /**
     * Enqueues each event for every subscription it concerns that existed before it (created when the stream was
     * at an earlier position), in one statement; a repeat changes nothing. Returns how many were enqueued.
     */
    int enqueue(List<Event> events) {
        return jdbc.getJdbcTemplate().update(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO webhook_delivery (subscription_id, counter_id, version, event_id, amount, value,
                                                  occurred_at, trace_parent, status, next_attempt_at)
                    SELECT s.id, e.counter_id, e.version, e.event_id, e.amount, e.value, e.occurred_at, e.trace_parent,
                           'PENDING', now()
                      FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::bigint[], ?::bigint[], ?::timestamptz[],
                                  ?::bigint[], ?::varchar[])
                           AS e (counter_id, version, event_id, amount, value, occurred_at, position, trace_parent)
                      JOIN webhook_subscription s
                        ON (s.counter_id IS NULL OR s.counter_id = e.counter_id) AND s.after_position < e.position
                    ON CONFLICT DO NOTHING
                    """);
            statement.setArray(1, connection.createArrayOf("varchar", column(events, Event::counterId)));
            statement.setArray(2, connection.createArrayOf("bigint", column(events, Event::version)));
            statement.setArray(3, connection.createArrayOf("varchar", column(events, Event::eventId)));
            statement.setArray(4, connection.createArrayOf("bigint", column(events, Event::amount)));
            statement.setArray(5, connection.createArrayOf("bigint", column(events, Event::value)));
            statement.setArray(
                    6, connection.createArrayOf("timestamptz", column(events, e -> Timestamp.from(e.occurredAt()))));
            statement.setArray(7, connection.createArrayOf("bigint", column(events, Event::position)));
            statement.setArray(8, connection.createArrayOf("varchar", column(events, Event::traceParent)));
            return statement;
        });
    }

    private static Object[] column(List<Event> events, Function<Event, Object> field) {
        return events.stream().map(field).toArray();
    }

    /**
     * Leases up to {@code limit} due deliveries: each the oldest of its (subscription, counter), and never more
     * than {@code perSubscription} in flight per subscription, so a slow receiver cannot take every worker. Claims
     * are taken one instance at a time (a transaction-scoped advisory lock), so the cap holds across instances;
     * each claimed delivery gets a new claim id.
     */
    @Transactional
    List<Delivery> claim(int limit, int perSubscription, Duration lease) {
        jdbc.query(
                "SELECT pg_advisory_xact_lock(hashtext('webhook-delivery-claims'))",
                new MapSqlParameterSource(),
                (ResultSetExtractor<Void>) rows -> null);
        return jdbc.query(
                """
                WITH in_flight AS (
                    SELECT subscription_id, count(*) AS deliveries FROM webhook_delivery
                     WHERE claimed_until >= now() GROUP BY subscription_id
                ),
                due AS (
                    SELECT d.subscription_id, d.counter_id, d.version,
                           row_number() OVER (PARTITION BY d.subscription_id ORDER BY d.next_attempt_at) AS rank
                      FROM webhook_delivery d
                     WHERE d.status = 'PENDING'
                       AND d.next_attempt_at <= now()
                       AND (d.claimed_until IS NULL OR d.claimed_until < now())
                       AND d.version = (SELECT min(h.version) FROM webhook_delivery h
                                         WHERE h.subscription_id = d.subscription_id AND h.counter_id = d.counter_id)
                ),
                picked AS (
                    SELECT d.subscription_id, d.counter_id, d.version
                      FROM webhook_delivery d
                      JOIN due USING (subscription_id, counter_id, version)
                      LEFT JOIN in_flight USING (subscription_id)
                     WHERE due.rank <= :perSubscription - coalesce(in_flight.deliveries, 0)
                     ORDER BY d.next_attempt_at
                     LIMIT :limit
                       FOR UPDATE OF d SKIP LOCKED
                ),
                claimed AS (
                    UPDATE webhook_delivery d
                       SET claimed_until = now() + make_interval(secs => :leaseSeconds), claim_id = gen_random_uuid()
                      FROM picked
                     WHERE d.subscription_id = picked.subscription_id
                       AND d.counter_id = picked.counter_id
                       AND d.version = picked.version
                 RETURNING d.*
                )
                SELECT c.*, s.callback_url, s.secret
                  FROM claimed c JOIN webhook_subscription s ON s.id = c.subscription_id
                """,
                new MapSqlParameterSource()
                        .addValue("limit", limit)
                        .addValue("perSubscription", perSubscription)
                        .addValue("leaseSeconds", lease.toMillis() / 1000.0),
                DeliveryQueue::delivery);
    }

    /** Done: deletes the delivery, unless another worker has claimed it since (then this changes nothing). */
    void delivered(Delivery delivery) {
        jdbc.update("""
                DELETE FROM webhook_delivery
                 WHERE subscription_id = :s AND counter_id = :c AND version = :v AND claim_id = :claim
                """, key(delivery));
    }

    /** Schedules the next attempt, or makes the delivery a dead letter when it has had its last one. */
    void failed(Delivery delivery, String error, Duration retryIn, boolean dead) {
        jdbc.update(
                """
                UPDATE webhook_delivery
                   SET attempts = attempts + 1, last_attempt_at = now(), last_error = :error, claimed_until = NULL,
                       status = :status, next_attempt_at = now() + make_interval(secs => :retrySeconds)
                 WHERE subscription_id = :s AND counter_id = :c AND version = :v AND claim_id = :claim
                """,
                key(delivery)
                        .addValue("error", error.length() > 1000 ? error.substring(0, 1000) : error)
                        .addValue("status", (dead ? Status.DEAD : Status.PENDING).name())
                        .addValue("retrySeconds", retryIn.toMillis() / 1000.0));
    }

    /** Dead letters of every subscription; NaN while the database is out of reach. */
    double deadLetterCount() {
        try {
            Long dead = jdbc.getJdbcTemplate()
                    .queryForObject("SELECT count(*) FROM webhook_delivery WHERE status = 'DEAD'", Long.class);
            return dead == null ? 0 : dead;
        } catch (RuntimeException unreachable) {
            return Double.NaN;
        }
    }

    List<DeadLetterView> deadLetters(UUID subscriptionId) {
        return jdbc.query(
                """
                SELECT * FROM webhook_delivery
                 WHERE subscription_id = :s AND status = 'DEAD'
                 ORDER BY counter_id, version
                """,
                new MapSqlParameterSource("s", subscriptionId),
                (row, n) -> new DeadLetterView(
                        row.getString("event_id"),
                        row.getString("counter_id"),
                        row.getLong("version"),
                        row.getLong("amount"),
                        row.getLong("value"),
                        instant(row, "occurred_at"),
                        row.getInt("attempts"),
                        instant(row, "last_attempt_at"),
                        row.getString("last_error")));
    }

    /** Puts the subscription's dead letters back in line, each with a fresh set of attempts. */
    int redeliver(UUID subscriptionId) {
        return jdbc.update("""
                UPDATE webhook_delivery SET status = 'PENDING', attempts = 0, next_attempt_at = now()
                 WHERE subscription_id = :s AND status = 'DEAD'
                """, new MapSqlParameterSource("s", subscriptionId));
    }

    private static MapSqlParameterSource key(Delivery delivery) {
        return new MapSqlParameterSource()
                .addValue("claim", delivery.claimId())
                .addValue("s", delivery.subscriptionId())
                .addValue("c", delivery.counterId())
                .addValue("v", delivery.version());
    }

    private static Delivery delivery(ResultSet row, int n) throws SQLException {
        return new Delivery(
                row.getObject("claim_id", UUID.class),
                row.getObject("subscription_id", UUID.class),
                row.getString("callback_url"),
                row.getString("secret"),
                row.getString("event_id"),
                row.getString("counter_id"),
                row.getLong("version"),
                row.getLong("amount"),
                row.getLong("value"),
                instant(row, "occurred_at"),
                row.getInt("attempts"),
                row.getString("trace_parent"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}

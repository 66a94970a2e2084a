package io.counterplatform.query.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code webhook_delivery} outbox. Only the oldest version of each (subscription, counter) is ever due, so a
 * failing or dead delivery holds back the later ones of that counter for that subscription, and nothing else.
 * Claims are row locks skipped by other instances, then a lease, so any number of instances can deliver.
 */
@Component
class DeliveryQueue {

    private final JdbcClient jdbc;

    DeliveryQueue(JdbcClient jdbc) {
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
        // the driver binds Java arrays as SQL arrays; an ISO instant is read as a timestamptz
        return jdbc.sql("""
                        INSERT INTO webhook_delivery (subscription_id, counter_id, version, event_id, amount, value,
                                                      occurred_at, trace_parent, status, next_attempt_at)
                        SELECT s.id, e.counter_id, e.version, e.event_id, e.amount, e.value, e.occurred_at,
                               e.trace_parent, 'PENDING', now()
                          FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::bigint[], ?::bigint[],
                                      ?::timestamptz[], ?::bigint[], ?::varchar[])
                               AS e (counter_id, version, event_id, amount, value, occurred_at, position, trace_parent)
                          JOIN webhook_subscription s
                            ON (s.counter_id IS NULL OR s.counter_id = e.counter_id) AND s.after_position < e.position
                        ON CONFLICT DO NOTHING
                        """)
                .params(
                        texts(events, Event::counterId),
                        numbers(events, Event::version),
                        texts(events, Event::eventId),
                        numbers(events, Event::amount),
                        numbers(events, Event::value),
                        texts(events, event -> event.occurredAt().toString()),
                        numbers(events, Event::position),
                        texts(events, Event::traceParent))
                .update();
    }

    /**
     * Leases up to {@code limit} due deliveries: each the oldest of its (subscription, counter), and never more
     * than {@code perSubscription} in flight per subscription, so a slow receiver cannot take every worker. Claims
     * are taken one instance at a time (a transaction-scoped advisory lock), so the cap holds across instances;
     * each claimed delivery gets a new claim id.
     */
    @Transactional
    List<Delivery> claim(int limit, int perSubscription, Duration lease) {
        // a statement of its own: the claim's snapshot must be taken after the lock, to count what is in flight
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('webhook-delivery-claims'))")
                .query()
                .listOfRows();
        return jdbc.sql("""
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
                SELECT c.*, s.callback_url, s.secret,
                       CASE WHEN s.previous_secret_until > now() THEN s.previous_secret END AS previous_secret
                  FROM claimed c JOIN webhook_subscription s ON s.id = c.subscription_id
                """)
                .param("limit", limit)
                .param("perSubscription", perSubscription)
                .param("leaseSeconds", lease.toMillis() / 1000.0)
                .query(DeliveryQueue::delivery)
                .list();
    }

    /** Done: deletes the delivery, unless another worker has claimed it since (then this changes nothing). */
    void delivered(Delivery delivery) {
        byClaim(jdbc.sql("""
                        DELETE FROM webhook_delivery
                         WHERE subscription_id = :subscriptionId AND counter_id = :counterId AND version = :version
                           AND claim_id = :claimId
                        """), delivery).update();
    }

    /** Schedules the next attempt, or makes the delivery a dead letter when it has had its last one. */
    void failed(Delivery delivery, String error, Duration retryIn, boolean dead) {
        byClaim(jdbc.sql("""
                        UPDATE webhook_delivery
                           SET attempts = attempts + 1, last_attempt_at = now(), last_error = :error,
                               claimed_until = NULL, status = CASE WHEN :dead THEN 'DEAD' ELSE 'PENDING' END,
                               next_attempt_at = now() + make_interval(secs => :retrySeconds)
                         WHERE subscription_id = :subscriptionId AND counter_id = :counterId AND version = :version
                           AND claim_id = :claimId
                        """), delivery)
                .param("error", error.length() > 1000 ? error.substring(0, 1000) : error)
                .param("dead", dead)
                .param("retrySeconds", retryIn.toMillis() / 1000.0)
                .update();
    }

    /** Dead letters of every subscription; NaN while the database is out of reach. */
    double deadLetterCount() {
        try {
            return jdbc.sql("SELECT count(*) FROM webhook_delivery WHERE status = 'DEAD'")
                    .query(Long.class)
                    .single();
        } catch (RuntimeException unreachable) {
            return Double.NaN;
        }
    }

    List<DeadLetterView> deadLetters(UUID subscriptionId) {
        return jdbc.sql("""
                        SELECT event_id AS "eventId", counter_id AS "counterId", version, amount, value,
                               occurred_at AS "timestamp", attempts, last_attempt_at AS "lastAttemptAt",
                               last_error AS "lastError"
                          FROM webhook_delivery
                         WHERE subscription_id = :s AND status = 'DEAD'
                         ORDER BY counter_id, version
                        """)
                .param("s", subscriptionId)
                .query(DeadLetterView.class)
                .list();
    }

    /** Puts the subscription's dead letters back in line, each with a fresh set of attempts. */
    int redeliver(UUID subscriptionId) {
        return jdbc.sql("""
                        UPDATE webhook_delivery SET status = 'PENDING', attempts = 0, next_attempt_at = now()
                         WHERE subscription_id = :s AND status = 'DEAD'
                        """).param("s", subscriptionId).update();
    }

    /** Mapped by hand: claims are the dispatcher's hot path, and mapping by name probes columns per row. */
    private static Delivery delivery(ResultSet row, int n) throws SQLException {
        return new Delivery(
                row.getObject("claim_id", UUID.class),
                row.getObject("subscription_id", UUID.class),
                row.getString("callback_url"),
                row.getString("secret"),
                row.getString("previous_secret"),
                row.getString("event_id"),
                row.getString("counter_id"),
                row.getLong("version"),
                row.getLong("amount"),
                row.getLong("value"),
                row.getTimestamp("occurred_at").toInstant(),
                row.getInt("attempts"),
                row.getString("trace_parent"));
    }

    /** The key of the delivery as this worker claimed it (its claim id changes when another worker claims it). */
    private static JdbcClient.StatementSpec byClaim(JdbcClient.StatementSpec statement, Delivery delivery) {
        return statement
                .param("subscriptionId", delivery.subscriptionId())
                .param("counterId", delivery.counterId())
                .param("version", delivery.version())
                .param("claimId", delivery.claimId());
    }

    private static String[] texts(List<Event> events, Function<Event, String> field) {
        return events.stream().map(field).toArray(String[]::new);
    }

    private static long[] numbers(List<Event> events, ToLongFunction<Event> field) {
        return events.stream().mapToLong(field).toArray();
    }
}

package io.counterplatform.query.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each subscription's delivery state: its cursor into the event stream (an Axon tracking token, written with
 * Axon's serializer as the token store writes it), its holds, and its endpoint's health. One round at a time per
 * subscription: a round claims the subscription (a lease with a claim id), and its outcome is written in one
 * transaction only while that claim is still its own.
 */
@Component
class DeliveryState {

    /** An endpoint's columns (of {@code webhook_subscription s}): the replaced secrets whose overlap lasts. */
    private static final String ENDPOINT = "callback_url, secret, ARRAY(SELECT r.secret FROM webhook_retired_secret r"
            + " WHERE r.subscription_id = s.id AND r.signs_until > now() ORDER BY r.signs_until DESC) AS retired";

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final Serializer serializer;

    DeliveryState(JdbcClient jdbc, JdbcTemplate batches, Serializer serializer) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.serializer = serializer;
    }

    /**
     * Claims up to {@code limit} enabled subscriptions, healthy or {@code failing}, that have work: a cursor behind
     * the stream's {@code head}, a cursor with gaps and batches of events seen since its last round (one of them may
     * have filled a gap), or a hold due. The ones waiting longest come first.
     */
    List<ClaimedSubscription> claim(boolean failing, int limit, long head, Duration lease) {
        return jdbc.sql("""
                        UPDATE webhook_subscription s
                           SET claimed_until = now() + make_interval(secs => :leaseSeconds),
                               claim_id = gen_random_uuid()
                          FROM (SELECT c.id, b.seen FROM webhook_subscription c, webhook_event_batches b
                                 WHERE c.status = 'enabled' AND (c.failing_since IS NOT NULL) = :failing
                                   AND c.next_round_at <= now()
                                   AND (c.claimed_until IS NULL OR c.claimed_until < now())
                                   AND (c.cursor_position < :head
                                        OR (c.cursor_has_gaps AND c.batches_seen < b.seen)
                                        OR EXISTS (SELECT 1 FROM webhook_hold h
                                                    WHERE h.subscription_id = c.id AND NOT h.dead
                                                      AND h.next_attempt_at <= now()))
                                 ORDER BY c.next_round_at
                                 LIMIT :limit
                                   FOR UPDATE OF c SKIP LOCKED) picked
                         WHERE s.id = picked.id
                        RETURNING s.id, s.claim_id, %s, s.counter_id, s.after_position,
                                  s.cursor_token, s.cursor_token_type, s.failing_since, s.failed_rounds,
                                  picked.seen AS batches_seen, s.batches_seen < picked.seen AS batches_since_last_round
                        """.formatted(ENDPOINT))
                .param("leaseSeconds", lease.toMillis() / 1000.0)
                .param("failing", failing)
                .param("head", head)
                .param("limit", limit)
                .query(this::claimed)
                .list();
    }

    /** The webhooks processor has seen one more batch of events, in the transaction that handles it. */
    void batchSeen() {
        jdbc.sql("UPDATE webhook_event_batches SET seen = seen + 1").update();
    }

    /** The subscription's holds, by counter. */
    Map<String, Hold> holds(UUID subscription) {
        Map<String, Hold> holds = new HashMap<>();
        jdbc.sql("SELECT * FROM webhook_hold WHERE subscription_id = ?")
                .param(subscription)
                .query(row -> {
                    holds.put(row.getString("counter_id"), hold(row));
                });
        return holds;
    }

    /**
     * Writes the round's outcome and releases the claim, unless the claim is no longer this round's (it ran out
     * and another round took the subscription, or the subscription was deleted): then nothing is written, and what
     * this round delivered is delivered again. Returns whether it was written.
     */
    @Transactional
    boolean finish(ClaimedSubscription subscription, RoundOutcome outcome, Verdict verdict) {
        SerializedObject<byte[]> cursor =
                outcome.cursor() == null ? null : serializer.serialize(outcome.cursor(), byte[].class);
        boolean ours = jdbc.sql("""
                                UPDATE webhook_subscription
                                   SET cursor_token = :token, cursor_token_type = :tokenType,
                                       cursor_position = :position, cursor_has_gaps = :hasGaps,
                                       batches_seen = CASE WHEN :caughtUp THEN :batchesSeen ELSE batches_seen END,
                                       failing_since = :failingSince,
                                       failed_rounds = :failedRounds, last_error = coalesce(:error, last_error),
                                       status = CASE WHEN :disable THEN 'disabled' ELSE status END,
                                       disabled_at = CASE WHEN :disable THEN now() ELSE disabled_at END,
                                       next_round_at = now() + make_interval(secs => :waitSeconds),
                                       claimed_until = NULL, claim_id = NULL
                                 WHERE id = :id AND claim_id = :claimId
                                """)
                        .param("token", cursor == null ? null : cursor.getData())
                        .param(
                                "tokenType",
                                cursor == null ? null : cursor.getType().getName())
                        .param("position", position(outcome.cursor()))
                        .param("hasGaps", DeliveryRound.hasGaps(outcome.cursor()))
                        .param("batchesSeen", subscription.batchesSeen())
                        .param("caughtUp", outcome.caughtUp())
                        .param("failingSince", timestamp(verdict.failingSince()))
                        .param("failedRounds", verdict.failedRounds())
                        .param("error", outcome.lastError())
                        .param("disable", verdict.disable())
                        .param("waitSeconds", verdict.nextRoundIn().toMillis() / 1000.0)
                        .param("id", subscription.id())
                        .param("claimId", subscription.claimId())
                        .update()
                == 1;
        if (!ours) {
            return false;
        }
        UUID id = subscription.id();
        if (!outcome.cleared().isEmpty()) {
            jdbc.sql("DELETE FROM webhook_hold WHERE subscription_id = ? AND counter_id = ANY(?)")
                    .params(id, outcome.cleared().toArray(String[]::new))
                    .update();
        }
        // passed holds may be dead, and redelivered meanwhile: only their reach changes
        batches.batchUpdate(
                "UPDATE webhook_hold SET through_version = greatest(through_version, ?) "
                        + "WHERE subscription_id = ? AND counter_id = ?",
                outcome.passed().entrySet().stream()
                        .map(passed -> new Object[] {passed.getValue().throughVersion(), id, passed.getKey()})
                        .toList());
        batches.batchUpdate(
                """
                INSERT INTO webhook_hold (subscription_id, counter_id, version, through_version, event_id, amount,
                                          value, occurred_at, trace_parent, attempts, next_attempt_at,
                                          last_attempt_at, last_error, dead)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (subscription_id, counter_id) DO UPDATE
                   SET version = excluded.version, through_version = greatest(webhook_hold.through_version,
                                                                              excluded.through_version),
                       event_id = excluded.event_id, amount = excluded.amount, value = excluded.value,
                       occurred_at = excluded.occurred_at, trace_parent = excluded.trace_parent,
                       attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
                       last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error,
                       dead = excluded.dead
                """,
                outcome.attempted().values().stream()
                        .map(hold -> new Object[] {
                            id,
                            hold.head().counterId(),
                            hold.head().version(),
                            hold.throughVersion(),
                            hold.head().eventId(),
                            hold.head().amount(),
                            hold.head().value(),
                            timestamp(hold.head().timestamp()),
                            hold.head().traceParent(),
                            hold.attempts(),
                            timestamp(hold.nextAttemptAt()),
                            timestamp(hold.lastAttemptAt()),
                            truncated(hold.lastError()),
                            hold.dead()
                        })
                        .toList());
        return true;
    }

    /** What a round concludes about its endpoint: when the subscription is next due, and whether it is now disabled. */
    record Verdict(Instant failingSince, int failedRounds, Duration nextRoundIn, boolean disable) {}

    /** Dead letters of every subscription; NaN while the database is out of reach. */
    double deadLetterCount() {
        try {
            return jdbc.sql("SELECT count(*) FROM webhook_hold WHERE dead")
                    .query(Long.class)
                    .single();
        } catch (RuntimeException unreachable) {
            return Double.NaN;
        }
    }

    List<DeadLetterView> deadLetters(UUID subscription) {
        return jdbc.sql("""
                        SELECT event_id, counter_id, version, amount, value, occurred_at AS timestamp, attempts,
                               last_attempt_at, last_error
                          FROM webhook_hold WHERE subscription_id = ? AND dead ORDER BY counter_id
                        """).param(subscription).query(DeadLetterView.class).list();
    }

    /** Puts the subscription's dead letters back in line, each with a fresh set of attempts, due now. */
    @Transactional
    void redeliver(UUID subscription) {
        jdbc.sql("""
                        UPDATE webhook_hold SET dead = false, attempts = 0, next_attempt_at = now()
                         WHERE subscription_id = ? AND dead
                        """).param(subscription).update();
        jdbc.sql("UPDATE webhook_subscription SET next_round_at = now() WHERE id = ?")
                .param(subscription)
                .update();
    }

    /**
     * Enables a disabled subscription again: it resumes where its cursor and holds stand, healthy and due now.
     * False: it is not disabled (no round runs for a disabled one, so none can undo this).
     */
    boolean enable(UUID subscription) {
        return jdbc.sql("""
                                UPDATE webhook_subscription
                                   SET status = 'enabled', failing_since = NULL, failed_rounds = 0,
                                       disabled_at = NULL, next_round_at = now()
                                 WHERE id = ? AND status = 'disabled'
                                """).param(subscription).update() == 1;
    }

    /** Where the subscription's deliveries go and the secrets that sign them, as they are now. */
    Optional<Endpoint> endpoint(UUID subscription) {
        return jdbc.sql("SELECT " + ENDPOINT + " FROM webhook_subscription s WHERE id = ?")
                .param(subscription)
                .query(DeliveryState::endpoint)
                .optional();
    }

    private static Endpoint endpoint(ResultSet row, int n) throws SQLException {
        return new Endpoint(row.getString("callback_url"), row.getString("secret"), List.of((String[])
                row.getArray("retired").getArray()));
    }

    private ClaimedSubscription claimed(ResultSet row, int n) throws SQLException {
        byte[] token = row.getBytes("cursor_token");
        Timestamp failingSince = row.getTimestamp("failing_since");
        return new ClaimedSubscription(
                row.getObject("id", UUID.class),
                row.getObject("claim_id", UUID.class),
                endpoint(row, n),
                row.getString("counter_id"),
                row.getLong("after_position"),
                token == null
                        ? null
                        : serializer.deserialize(new SimpleSerializedObject<>(
                                token, byte[].class, row.getString("cursor_token_type"), null)),
                failingSince == null ? null : failingSince.toInstant(),
                row.getInt("failed_rounds"),
                row.getLong("batches_seen"),
                row.getBoolean("batches_since_last_round"));
    }

    private static Hold hold(ResultSet row) throws SQLException {
        Timestamp lastAttempt = row.getTimestamp("last_attempt_at");
        return new Hold(
                new WebhookEvent(
                        row.getString("event_id"),
                        row.getString("counter_id"),
                        row.getLong("version"),
                        row.getLong("amount"),
                        row.getLong("value"),
                        row.getTimestamp("occurred_at").toInstant(),
                        row.getString("trace_parent")),
                row.getLong("through_version"),
                row.getInt("attempts"),
                row.getTimestamp("next_attempt_at").toInstant(),
                lastAttempt == null ? null : lastAttempt.toInstant(),
                row.getString("last_error"),
                row.getBoolean("dead"));
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String truncated(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 1000);
    }
}

package io.counterplatform.query.webhook;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The {@code webhook_subscription} table; deleting a subscription deletes its deliveries (a foreign key). */
@Component
class WebhookSubscriptions {

    /** Axon's JDBC store keeps a token's gaps this many places behind its index, no further (its default). */
    private static final int MAX_GAP_OFFSET = 10_000;

    /** A missing place behind an event stamped this long ago is a rolled-back append to Axon (its default). */
    private static final Duration GAP_TIMEOUT = Duration.ofMinutes(1);

    /** Replaced secrets that still sign, at most: each adds a signature to every delivery. */
    private static final int RETIRED_SIGNING = 10;

    private static final RowMapper<WebhookSubscription> SUBSCRIPTION = (row, n) -> new WebhookSubscription(
            row.getObject("id", UUID.class),
            row.getString("callback_url"),
            row.getString("counter_id"),
            row.getString("secret"),
            row.getTimestamp("created_at").toInstant(),
            row.getLong("after_position"),
            row.getString("owner"),
            new WebhookSubscription.Health(
                    row.getString("status"),
                    instant(row.getTimestamp("failing_since")),
                    row.getString("last_error"),
                    instant(row.getTimestamp("disabled_at"))));

    private final JdbcClient jdbc;
    private final Serializer serializer;

    WebhookSubscriptions(JdbcClient jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** Every subscription, oldest first. */
    List<WebhookSubscription> all() {
        return jdbc.sql("SELECT * FROM webhook_subscription ORDER BY created_at")
                .query(SUBSCRIPTION)
                .list();
    }

    /** One owner's subscriptions, oldest first. */
    List<WebhookSubscription> ownedBy(String owner) {
        return jdbc.sql("SELECT * FROM webhook_subscription WHERE owner = ? ORDER BY created_at")
                .param(owner)
                .query(SUBSCRIPTION)
                .list();
    }

    Optional<WebhookSubscription> find(UUID id) {
        return jdbc.sql("SELECT * FROM webhook_subscription WHERE id = ?")
                .param(id)
                .query(SUBSCRIPTION)
                .optional();
    }

    long countByOwner(String owner) {
        return jdbc.sql("SELECT count(*) FROM webhook_subscription WHERE owner = ?")
                .param(owner)
                .query(Long.class)
                .single();
    }

    /**
     * Replaces the secret; the one it replaces signs next to it for {@code overlap}, and so do secrets replaced
     * earlier while their overlap lasts, the {@value #RETIRED_SIGNING} newest at most. False: no such subscription.
     */
    @Transactional
    boolean rotateSecret(UUID id, String secret, Duration overlap) {
        jdbc.sql("""
                        INSERT INTO webhook_retired_secret (subscription_id, secret, signs_until)
                        SELECT id, secret, now() + make_interval(secs => :overlapSeconds)
                          FROM webhook_subscription WHERE id = :id
                           FOR UPDATE
                        """)
                .param("id", id)
                .param("overlapSeconds", overlap.toSeconds())
                .update();
        jdbc.sql("""
                        DELETE FROM webhook_retired_secret
                         WHERE subscription_id = :id
                           AND (signs_until <= now()
                                OR secret NOT IN (SELECT secret FROM webhook_retired_secret WHERE subscription_id = :id
                                                   ORDER BY signs_until DESC LIMIT :kept))
                        """).param("id", id).param("kept", RETIRED_SIGNING).update();
        return jdbc.sql("UPDATE webhook_subscription SET secret = :secret WHERE id = :id")
                        .param("id", id)
                        .param("secret", secret)
                        .update()
                == 1;
    }

    void delete(UUID id) {
        jdbc.sql("DELETE FROM webhook_subscription WHERE id = ?").param(id).update();
    }

    /**
     * A new subscription's cursor: the stream's head. In the JDBC store a place below the head may still be
     * committing (another instance's append): the places missing since the last event older than Axon's gap timeout
     * are the cursor's gaps, so such an event is delivered when it arrives. Older missing places are rolled back
     * appends, as Axon's processors judge them.
     */
    TrackingToken startingCursor(TrackingToken head) {
        if (!(head instanceof GapAwareTrackingToken gapAware)) {
            return head; // Axon Server numbers events as they are committed: nothing commits below its head
        }
        List<Long> missing = jdbc.sql("""
                        SELECT place
                          FROM generate_series(
                                   (SELECT coalesce(max(globalIndex), :from - 1) + 1 FROM DomainEventEntry
                                     WHERE globalIndex BETWEEN :from AND :head
                                       AND timeStamp::timestamptz < now() - make_interval(secs => :gapTimeout)),
                                   :head) place
                         WHERE NOT EXISTS (SELECT 1 FROM DomainEventEntry WHERE globalIndex = place)
                        """)
                .param("from", Math.max(1, gapAware.getIndex() - MAX_GAP_OFFSET))
                .param("head", gapAware.getIndex())
                .param("gapTimeout", GAP_TIMEOUT.toSeconds())
                .query(Long.class)
                .list();
        return GapAwareTrackingToken.newInstance(gapAware.getIndex(), missing);
    }

    /** The last place the cursor has passed: before its first gap, or its position (-1: the stream's start). */
    static long lastPlaceBefore(TrackingToken cursor) {
        if (cursor instanceof GapAwareTrackingToken gapAware
                && !gapAware.getGaps().isEmpty()) {
            return gapAware.getGaps().first() - 1;
        }
        return position(cursor);
    }

    private static long position(TrackingToken cursor) {
        return cursor == null ? -1 : cursor.position().orElse(-1);
    }

    /**
     * Saves the subscription, its deliveries to start after {@code cursor} (null: the stream's start), unless its
     * owner holds {@code max} already. One creation per owner at a time (a transaction-scoped advisory lock), so
     * the count it checks is the count it adds to.
     */
    @Transactional
    Optional<WebhookSubscription> saveWithin(int max, WebhookSubscription subscription, TrackingToken cursor) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('webhook-subscriptions/' || ?))")
                .param(subscription.owner())
                .query()
                .listOfRows();
        if (countByOwner(subscription.owner()) >= max) {
            return Optional.empty();
        }
        SerializedObject<byte[]> serialized = cursor == null ? null : serializer.serialize(cursor, byte[].class);
        jdbc.sql("""
                        INSERT INTO webhook_subscription
                               (id, callback_url, counter_id, secret, created_at, after_position, owner,
                                cursor_token, cursor_token_type, cursor_position, cursor_has_gaps)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                .params(
                        subscription.id(),
                        subscription.callbackUrl(),
                        subscription.counterId(),
                        subscription.secret(),
                        subscription.createdAt().atOffset(ZoneOffset.UTC),
                        subscription.afterPosition(),
                        subscription.owner(),
                        serialized == null ? null : serialized.getData(),
                        serialized == null ? null : serialized.getType().getName(),
                        position(cursor),
                        DeliveryRound.hasGaps(cursor))
                .update();
        return Optional.of(subscription);
    }
}

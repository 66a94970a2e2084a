package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Rounds and their claims: one round per subscription at a time, the outcome of a round whose claim ran out
 * changes nothing, a cursor with gaps is due again after a batch of events until a round has read up to the head,
 * and "after the subscription" means after it in the event stream, whatever the clocks of the services say.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "counter.webhooks.allow-private-targets=true",
            "counter.webhooks.poll-interval=100ms",
            "counter.admin.api-key=rounds-admin-key"
        })
class DeliveryRoundsIT {

    private static final long FAR = 1L << 50;
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final DeliveryState.Verdict DUE_NOW = new DeliveryState.Verdict(null, 0, Duration.ZERO, false);

    @LocalServerPort
    private int port;

    @Autowired
    private DeliveryState state;

    @Autowired
    private WebhookDispatcher dispatcher;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private EventStorageEngine storageEngine;

    @Autowired
    private TransactionManager transactionManager;

    @BeforeEach
    void setUp() {
        jdbc.update("DELETE FROM webhook_subscription");
    }

    @Test
    void aSubscriptionIsInOneRoundAtATime() {
        UUID subscription = behindTheHead();

        List<ClaimedSubscription> first = state.claim(false, 10, Long.MAX_VALUE, Duration.ofSeconds(30));
        List<ClaimedSubscription> second = state.claim(false, 10, Long.MAX_VALUE, Duration.ofSeconds(30));

        assertThat(first).extracting(ClaimedSubscription::id).containsExactly(subscription);
        assertThat(second).isEmpty();
    }

    @Test
    void theOutcomeOfARoundWhoseClaimRanOutChangesNothing() throws Exception {
        behindTheHead();
        ClaimedSubscription late =
                state.claim(false, 10, Long.MAX_VALUE, Duration.ofMillis(100)).get(0);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !state.claim(false, 10, Long.MAX_VALUE, Duration.ofSeconds(30))
                        .isEmpty());
        WebhookEvent event = new WebhookEvent("e", "c", 1, 1, 1, Instant.now(), null);

        boolean written = state.finish(
                late,
                new RoundOutcome(
                        new GlobalSequenceTrackingToken(42),
                        Map.of("c", Hold.after(event, "answered 500", Duration.ofSeconds(1))),
                        Map.of(),
                        Set.of(),
                        0,
                        1,
                        "answered 500",
                        true),
                new DeliveryState.Verdict(Instant.now(), 1, Duration.ofSeconds(1), false));

        assertThat(written).isFalse();
        assertThat(jdbc.queryForObject("SELECT cursor_position FROM webhook_subscription", Long.class))
                .isEqualTo(FAR);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_hold", Long.class))
                .isZero();
    }

    @Test
    void aCursorWithGapsIsDueAfterEachBatchOfEventsUntilARoundHasReadUpToTheHead() {
        dispatcher.stop(); // the claims here are made by hand
        try {
            UUID subscription = behindTheHead();
            // its last round read up to the head, after every batch seen so far
            jdbc.update(
                    "UPDATE webhook_subscription SET cursor_has_gaps = true,"
                            + " batches_seen = (SELECT seen FROM webhook_event_batches) WHERE id = ?",
                    subscription);
            assertThat(state.claim(false, 10, FAR, LEASE)).isEmpty();

            state.batchSeen(); // it may have filled a gap
            ClaimedSubscription first = state.claim(false, 10, FAR, LEASE).get(0);
            assertThat(first.batchesSinceLastRound()).isTrue();
            // a round that stopped before the head (its holds were full, or it ran out of time)
            state.finish(first, nothingAttempted(false), DUE_NOW);
            ClaimedSubscription second = state.claim(false, 10, FAR, LEASE).get(0);
            assertThat(second.batchesSinceLastRound()).isTrue();
            // a round that read up to the head
            state.finish(second, nothingAttempted(true), DUE_NOW);
            assertThat(state.claim(false, 10, FAR, LEASE)).isEmpty();
        } finally {
            dispatcher.start();
        }
    }

    @Test
    void anEventStoredAfterTheSubscriptionIsDeliveredEvenIfItsTimestampIsEarlier() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Http.querySide("http://localhost:" + port, "X-Api-Key", "rounds-admin-key")
                    .post(
                            "/api/subscriptions",
                            "application/json",
                            "{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"skewed\"}");

            // the command side's clock is an hour behind the query side's
            transactionManager.executeInTransaction(() -> storageEngine.appendEvents(new GenericDomainEventMessage<>(
                    "Counter",
                    "skewed",
                    0,
                    new CounterIncremented("skewed", 1, 1, null, 1),
                    MetaData.emptyInstance(),
                    UUID.randomUUID().toString(),
                    Instant.now().minus(Duration.ofHours(1)))));

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.accepted().size() == 1);
        }
    }

    /** A round that attempted nothing, its cursor still at {@link #FAR} with a gap just before. */
    private static RoundOutcome nothingAttempted(boolean caughtUp) {
        return new RoundOutcome(
                GapAwareTrackingToken.newInstance(FAR, Set.of(FAR - 1)),
                Map.of(),
                Map.of(),
                Set.of(),
                0,
                0,
                null,
                caughtUp);
    }

    /**
     * A subscription whose cursor stands far beyond the stream's head, so that the dispatcher finds nothing to do for
     * it; these tests claim it by hand, as if the head were further still.
     */
    private UUID behindTheHead() {
        UUID subscription = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO webhook_subscription (id, callback_url, counter_id, secret, created_at, owner, "
                        + "cursor_position) VALUES (?, 'http://127.0.0.1:9/hook', NULL, 'secret', now(), 'tests', ?)",
                subscription,
                FAR);
        return subscription;
    }
}

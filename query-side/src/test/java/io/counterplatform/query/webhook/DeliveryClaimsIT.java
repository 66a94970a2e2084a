package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The outbox's claims: an acknowledgement counts only for the claim it answers, the cap on deliveries in flight
 * per subscription is exact, and "after the subscription" means after it in the event stream, whatever the
 * clocks of the services say.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "counter.webhooks.allow-private-targets=true",
            // the dispatcher stays out of the way: these tests claim by hand
            "counter.webhooks.workers=1",
            "counter.webhooks.poll-interval=1h",
            "counter.admin.api-key=claims-admin-key"
        })
class DeliveryClaimsIT {

    @LocalServerPort
    private int port;

    @Autowired
    private DeliveryQueue queue;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private EventStorageEngine storageEngine;

    @Autowired
    private TransactionManager transactionManager;

    private UUID subscription;

    @BeforeEach
    void setUp() {
        jdbc.update("DELETE FROM webhook_delivery");
        subscription = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO webhook_subscription (id, callback_url, counter_id, secret, created_at) "
                        + "VALUES (?, 'http://127.0.0.1:9/hook', NULL, 'secret', now() - interval '1 hour')",
                subscription);
    }

    @Test
    void anAcknowledgementFromAWorkerWhoseLeaseRanOutChangesNothing() throws Exception {
        pending("a", 1);

        Delivery first = queue.claim(10, 4, Duration.ofMillis(100)).get(0);
        Thread.sleep(300);
        Delivery second = queue.claim(10, 4, Duration.ofSeconds(30)).get(0);
        queue.delivered(first);
        queue.failed(first, "late failure", Duration.ZERO, false);

        Map<String, Object> row = jdbc.queryForMap("SELECT attempts, claimed_until FROM webhook_delivery");
        assertThat(row.get("attempts")).isEqualTo(0);
        assertThat(((Timestamp) row.get("claimed_until")).toInstant()).isAfter(Instant.now());
        queue.delivered(second);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_delivery", Long.class))
                .isZero();
    }

    @Test
    void theCapOnDeliveriesInFlightPerSubscriptionIsExact() {
        for (String counter : List.of("a", "b", "c", "d", "e")) {
            pending(counter, 1);
        }

        List<Delivery> first = queue.claim(1, 2, Duration.ofSeconds(30));
        List<Delivery> second = queue.claim(10, 2, Duration.ofSeconds(30));
        List<Delivery> third = queue.claim(10, 2, Duration.ofSeconds(30));

        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
        assertThat(third).isEmpty();
    }

    @Test
    void anEventStoredAfterTheSubscriptionIsDeliveredEvenIfItsTimestampIsEarlier() {
        Http http = new Http("http://localhost:" + port, "X-Api-Key", "claims-admin-key");
        String created = http.post(
                        "/api/subscriptions",
                        "application/json",
                        "{\"callbackUrl\":\"http://127.0.0.1:9/late\",\"counterId\":\"skewed\"}")
                .body();
        String id = created.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");

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
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM webhook_delivery WHERE subscription_id = ?::uuid", Long.class, id)
                        == 1);
    }

    private void pending(String counter, long version) {
        jdbc.update("""
                INSERT INTO webhook_delivery (subscription_id, counter_id, version, event_id, amount, value,
                                              occurred_at, status, next_attempt_at)
                VALUES (?, ?, ?, ?, 1, ?, now(), 'PENDING', now() - interval '1 second')
                """, subscription, counter, version, UUID.randomUUID().toString(), version);
    }
}

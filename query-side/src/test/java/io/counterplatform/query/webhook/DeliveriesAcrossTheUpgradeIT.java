package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.query.QuerySideMigrations;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * What the outbox of deliveries held when the service is upgraded to cursors and holds: every subscription's
 * cursor starts at the webhook processor's token (every event before it was in the outbox), and each
 * (subscription, counter) still waiting becomes a hold on its oldest delivery, through its newest.
 */
class DeliveriesAcrossTheUpgradeIT {

    @Test
    void pendingAndDeadDeliveriesBecomeHoldsAndTheCursorStartsAtTheProcessorsToken() {
        DriverManagerDataSource database = QuerySideMigrations.newDatabase("deliveries");
        JdbcTemplate jdbc = new JdbcTemplate(database);
        QuerySideMigrations.migrate(database, "10");
        UUID id = UUID.randomUUID();
        byte[] token = "{\"index\":41,\"gaps\":[]}".getBytes(StandardCharsets.UTF_8);
        jdbc.update(
                "INSERT INTO webhook_subscription (id, callback_url, secret, created_at) VALUES (?, 'http://h/', 's', now())",
                id);
        jdbc.update(
                "INSERT INTO TokenEntry (processorName, segment, token, tokenType) VALUES ('webhooks', 0, ?, ?)",
                token,
                "org.axonframework.eventhandling.GapAwareTrackingToken");
        for (long version = 3; version <= 5; version++) {
            outbox(jdbc, id, "a", version, "PENDING");
        }
        outbox(jdbc, id, "b", 2, "DEAD");

        QuerySideMigrations.migrate(database, "latest");

        Map<String, Object> a = jdbc.queryForMap("SELECT * FROM webhook_hold WHERE counter_id = 'a'");
        Map<String, Object> b = jdbc.queryForMap("SELECT * FROM webhook_hold WHERE counter_id = 'b'");
        Map<String, Object> subscription = jdbc.queryForMap("SELECT * FROM webhook_subscription");
        assertThat(a)
                .containsEntry("version", 3L)
                .containsEntry("through_version", 5L)
                .containsEntry("dead", false);
        assertThat(a.get("event_id")).isEqualTo("a-3");
        assertThat(b)
                .containsEntry("version", 2L)
                .containsEntry("through_version", 2L)
                .containsEntry("dead", true);
        assertThat((byte[]) subscription.get("cursor_token")).isEqualTo(token);
        assertThat(subscription.get("cursor_token_type"))
                .isEqualTo("org.axonframework.eventhandling.GapAwareTrackingToken");
        assertThat(subscription).containsEntry("status", "enabled");
    }

    private static void outbox(JdbcTemplate jdbc, UUID subscription, String counter, long version, String status) {
        jdbc.update("""
                INSERT INTO webhook_delivery (subscription_id, counter_id, version, event_id, amount, value,
                                              occurred_at, status, attempts, next_attempt_at, last_error)
                VALUES (?, ?, ?, ?, 1, ?, now(), ?, 2, now(), 'answered 500')
                """, subscription, counter, version, counter + "-" + version, version, status);
    }
}

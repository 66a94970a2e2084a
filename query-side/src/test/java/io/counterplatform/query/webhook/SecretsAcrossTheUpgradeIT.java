package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import io.counterplatform.query.QuerySideMigrations;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Secrets across the migrations: one made while deliveries were signed with the secret's own bytes is written as
 * {@code whsec_} by the move to Standard Webhooks, its key still those bytes; a rotation's overlap outlasts the move
 * to a row per replaced secret.
 */
class SecretsAcrossTheUpgradeIT {

    @Test
    void aSecretFromBeforeKeepsItsKey() throws Exception {
        DriverManagerDataSource database = QuerySideMigrations.newDatabase("secrets");
        JdbcTemplate jdbc = new JdbcTemplate(database);
        QuerySideMigrations.migrate(database, "8");
        String legacy = "s3cret-é€-" + "x".repeat(200); // long enough for PostgreSQL's base64 to break lines
        UUID id = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO webhook_subscription (id, callback_url, secret, created_at) VALUES (?, 'http://h/', ?, now())",
                id,
                legacy);

        QuerySideMigrations.migrate(database, "latest");

        String migrated = jdbc.queryForObject("SELECT secret FROM webhook_subscription WHERE id = ?", String.class, id);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(legacy.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String byTheOldKey =
                "v1," + Base64.getEncoder().encodeToString(mac.doFinal("id.1.{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(migrated).startsWith("whsec_");
        assertThat(new Webhook(migrated).sign("id", 1, "{}")).isEqualTo(byTheOldKey);
    }

    @Test
    void aSecretReplacedByARotationKeepsSigningForWhatIsLeftOfItsOverlap() {
        DriverManagerDataSource database = QuerySideMigrations.newDatabase("rotations");
        JdbcTemplate jdbc = new JdbcTemplate(database);
        QuerySideMigrations.migrate(database, "14");
        UUID rotated = UUID.randomUUID();
        UUID rotatedLongAgo = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO webhook_subscription (id, callback_url, secret, created_at, previous_secret,
                                                  previous_secret_until)
                VALUES (?, 'http://h/', 'whsec_new', now(), 'whsec_old', now() + interval '1 hour'),
                       (?, 'http://h/', 'whsec_new', now(), 'whsec_old', now() - interval '1 hour')
                """, rotated, rotatedLongAgo);

        QuerySideMigrations.migrate(database, "latest");

        assertThat(jdbc.queryForList(
                        "SELECT subscription_id, secret, signs_until > now() + interval '59 minutes' AS lasts"
                                + " FROM webhook_retired_secret"))
                .containsExactly(Map.of("subscription_id", rotated, "secret", "whsec_old", "lasts", true));
    }
}

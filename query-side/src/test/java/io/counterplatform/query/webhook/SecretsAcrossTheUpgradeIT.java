package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import io.counterplatform.query.QuerySideMigrations;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A subscription made while deliveries were signed with the secret's own bytes: after the migration to Standard
 * Webhooks its secret is written as {@code whsec_}, and its key is still those bytes.
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
}

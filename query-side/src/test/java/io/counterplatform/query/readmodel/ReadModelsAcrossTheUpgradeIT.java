package io.counterplatform.query.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.counterplatform.query.QuerySideMigrations;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database of the release before versions: its tables become version 1 behind views of their old names, their
 * processors' tokens carry over to version 1, and an instance of the release before can no longer claim the old
 * processors, whether they had run or not (it would project every event again from the first).
 */
class ReadModelsAcrossTheUpgradeIT {

    private static final String TOKEN_TYPE = GapAwareTrackingToken.class.getName();

    @Test
    void theTablesBecomeVersionOneTheirTokensCarryOverAndTheOldProcessorsNeverRunAgain() {
        DriverManagerDataSource database = QuerySideMigrations.newDatabase("versions");
        JdbcTemplate jdbc = new JdbcTemplate(database);
        QuerySideMigrations.migrate(database, "12");
        jdbc.update("INSERT INTO counter_summary VALUES ('a', 5, 3, '2026-01-01T00:00:00Z')");
        jdbc.update("INSERT INTO counter_series VALUES ('a', 'minute', '2026-01-01T00:00:00Z', 3, 5)");
        token(jdbc, "counter-summary", 0, 41);
        token(jdbc, "counter-summary", 1, 40);
        jdbc.update("INSERT INTO projection_replay (name, status, started_at, target_position) "
                + "VALUES ('counter-summary', 'RUNNING', now(), 41)");

        QuerySideMigrations.migrate(database, "latest");

        assertThat(jdbc.queryForMap("SELECT value, version FROM counter_summary WHERE counter_id = 'a'"))
                .isEqualTo(Map.of("value", 5L, "version", 3L));
        assertThat(jdbc.queryForObject("SELECT amount FROM counter_series WHERE counter_id = 'a'", Long.class))
                .isEqualTo(5L);
        assertThat(jdbc.queryForList("SELECT name, live, building IS NULL AS idle FROM read_model ORDER BY name"))
                .containsExactly(
                        Map.of("name", "counter-series", "live", 1, "idle", true),
                        Map.of("name", "counter-summary", "live", 1, "idle", true));
        JdbcTokenStore tokens = JdbcTokenStore.builder()
                .connectionProvider(database::getConnection)
                .serializer(JacksonSerializer.defaultSerializer())
                .build();
        assertThat(tokens.fetchToken("counter-summary-1", 0).position()).hasValue(41);
        assertThat(tokens.fetchToken("counter-summary-1", 1).position()).hasValue(40);
        assertThat(tokens.fetchSegments("counter-series-1")).isEmpty();
        // a processor initialises its segments from the first event only when it finds none
        assertThat(tokens.fetchSegments("counter-summary")).containsExactly(0, 1);
        assertThat(tokens.fetchSegments("counter-series")).containsExactly(0);
        assertThatThrownBy(() -> tokens.fetchToken("counter-summary", 0))
                .isInstanceOf(UnableToClaimTokenException.class);
        assertThatThrownBy(() -> tokens.fetchToken("counter-series", 0))
                .isInstanceOf(UnableToClaimTokenException.class);
    }

    private static void token(JdbcTemplate jdbc, String processor, int segment, long index) {
        jdbc.update(
                "INSERT INTO TokenEntry (processorName, segment, token, tokenType) VALUES (?, ?, ?, ?)",
                processor,
                segment,
                ("{\"index\":" + index + ",\"gaps\":[]}").getBytes(StandardCharsets.UTF_8),
                TOKEN_TYPE);
    }
}

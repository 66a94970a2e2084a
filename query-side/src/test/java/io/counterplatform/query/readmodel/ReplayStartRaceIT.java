package io.counterplatform.query.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Counters created (one event each) while a rebuild starts and runs are all in the rebuilt model: the new version
 * reads the stream from its first event on, keeps reading past where it began, and takes over only once it has
 * seen every event the old version has.
 */
@IntegrationTest
@Import(EventStoreWriter.class)
@TestPropertySource(properties = "counter.admin.api-key=test-key")
class ReplayStartRaceIT {

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void countersCreatedWhileAReplayStartsAreAllInTheReplayedModel() throws Exception {
        String prefix = "race-" + UUID.randomUUID() + "-";
        Http http = Http.querySide("http://localhost:" + port);
        AtomicBoolean creating = new AtomicBoolean(true);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; creating.get(); i++) {
                events.increment(prefix + i, 1);
            }
        });
        try {
            await().until(() -> count(prefix) > 50);
            assertThat(http.post("/api/admin/projections/counter-summary/replay", null, null, "X-Api-Key", "test-key")
                            .status())
                    .isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> !rebuilding(http));
        } finally {
            creating.set(false);
            writer.join();
        }

        long written = events.expected().keySet().stream()
                .filter(id -> id.startsWith(prefix))
                .count();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(count(prefix)).isEqualTo(written));
    }

    private long count(String prefix) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM counter_summary WHERE counter_id LIKE ?", Long.class, prefix + "%");
    }

    private boolean rebuilding(Http http) {
        return !http.get("/api/admin/projections", "X-Api-Key", "test-key")
                .body()
                .contains("\"name\":\"counter-summary\",\"status\":\"RUNNING\"");
    }
}

package io.counterplatform.query.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A rebuild under {@code counter.replay.max-events-per-second} reads the history no faster than that, while events
 * stored after it began reach the live version as they come; it still takes over with every event.
 */
@IntegrationTest
@Import(EventStoreWriter.class)
@TestPropertySource(properties = {"counter.admin.api-key=test-key", "counter.replay.max-events-per-second=2"})
class ThrottledRebuildIT {

    private static final int HISTORY = 20;
    private static final Duration POLL = Duration.ofMillis(50);

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void onlyTheHistoryIsHeld() {
        for (int i = 0; i < HISTORY; i++) {
            events.increment("history-" + i, 1); // one counter each: a version's rows count the events it has read
        }
        await().until(() -> rows("counter_summary", "history-%") == HISTORY);

        assertThat(Http.querySide("http://localhost:" + port)
                        .post("/api/admin/projections/counter-summary/replay", null, null, "X-Api-Key", "test-key")
                        .status())
                .isEqualTo(202);
        events.increment("later", 1);
        await().until(() -> rows("counter_summary", "later") == 1);
        assertThat(building()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(POLL)
                .until(() -> rows("counter_summary_2", "history-%") > 0);
        long firstRead = System.nanoTime();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(POLL)
                .until(() -> rows("counter_summary_2", "history-%") == HISTORY);
        // two events a second: from the batch that read the first two to the one that read the last two, the
        // limit was refreshed nine times
        assertThat(Duration.ofNanos(System.nanoTime() - firstRead)).isGreaterThanOrEqualTo(Duration.ofSeconds(7));

        await().atMost(Duration.ofSeconds(60)).until(() -> building() == null);
        assertThat(jdbc.queryForObject("SELECT live FROM read_model WHERE name = 'counter-summary'", Integer.class))
                .isEqualTo(2);
        assertThat(rows("counter_summary", "%")).isEqualTo(HISTORY + 1);
    }

    private int rows(String table, String counters) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM " + table + " WHERE counter_id LIKE ?", Integer.class, counters);
    }

    private Integer building() {
        return jdbc.queryForObject("SELECT building FROM read_model WHERE name = 'counter-summary'", Integer.class);
    }
}

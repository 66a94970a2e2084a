package io.counterplatform.query.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A rebuild slowed down by its rate ceiling, so that one batch takes longer than the lease, keeps its lease the
 * whole time: no other instance takes it over as if it had crashed.
 */
@IntegrationTest
@Import(EventStoreWriter.class)
@TestPropertySource(
        properties = {
            "counter.admin.api-key=test-key",
            "counter.replay.lease=2s",
            "counter.replay.switch-lock-timeout=500ms",
            "counter.replay.batch-size=5",
            "counter.replay.max-events-per-second=1"
        })
class ReplayThrottleIT {

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aThrottledReplayRenewsItsLeaseWhileItWaits() throws Exception {
        String counter = "throttled-" + UUID.randomUUID();
        for (int i = 0; i < 12; i++) {
            events.increment(counter, 1);
        }
        Http http = Http.querySide("http://localhost:" + port);
        await().until(() -> http.get("/api/counters/" + counter).body().contains("\"version\":12"));

        assertThat(http.post("/api/admin/projections/counter-summary/replay", null, null, "X-Api-Key", "test-key")
                        .status())
                .isEqualTo(202);
        String owner =
                jdbc.queryForObject("SELECT owner FROM projection_replay WHERE name = 'counter-summary'", String.class);
        for (int check = 0; check < 16; check++) { // 8 s: more than three leases, two throttled batches
            assertThat(jdbc.queryForObject(
                            "SELECT status = 'DONE' OR (lease_until > now() AND owner = ?) FROM projection_replay "
                                    + "WHERE name = 'counter-summary'",
                            Boolean.class,
                            owner))
                    .isTrue();
            Thread.sleep(500);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "DONE"
                        .equals(jdbc.queryForObject(
                                "SELECT status FROM projection_replay WHERE name = 'counter-summary'", String.class)));
    }
}

package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A counter loaded from its snapshot (not the cache) still knows its value and version, and its keys, which its
 * snapshot does not hold.
 */
@IntegrationTest
@TestPropertySource(properties = "counter.snapshot-threshold=5")
class CounterSnapshotIT {

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private Cache counterCache;

    @Test
    void aCounterRestoredFromItsSnapshotAnswersRetriesAndCountsOn() {
        Http http = Http.commandSide("http://localhost:" + port);
        for (int i = 1; i <= 12; i++) {
            assertThat(http.post("/api/counters/snap/increments", null, null, "Idempotency-Key", "k" + i)
                            .status())
                    .isEqualTo(200);
        }
        String snapshot = jdbc.queryForObject(
                "SELECT convert_from(payload, 'UTF8') FROM SnapshotEventEntry WHERE aggregateIdentifier = 'snap'",
                String.class);
        assertThat(snapshot).startsWith("{").doesNotContain("k3");

        counterCache.removeAll();
        Response retry = http.post("/api/counters/snap/increments", null, null, "Idempotency-Key", "k3");
        Response next = http.post("/api/counters/snap/increments", null, null);

        assertThat(retry.header("Idempotent-Replayed")).contains("true");
        assertThat(retry.body()).isEqualTo("{\"counterId\":\"snap\",\"value\":3,\"version\":3}");
        assertThat(next.body()).isEqualTo("{\"counterId\":\"snap\",\"value\":13,\"version\":13}");
    }
}

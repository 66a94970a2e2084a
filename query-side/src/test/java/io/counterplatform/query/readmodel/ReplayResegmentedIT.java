package io.counterplatform.query.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.springboot.EventProcessorProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A rebuild after the read model's segment count was raised: the new version has segments of its own, and it
 * takes over while one counter is incremented without a pause, so that all but one of its segments see none of
 * the events that come in.
 */
@IntegrationTest
@Import(EventStoreWriter.class)
@TestPropertySource(properties = "counter.admin.api-key=test-key")
@DirtiesContext // the read model's settings are changed
class ReplayResegmentedIT {

    private static final String[] KEY = {"X-Api-Key", "test-key"};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private EventProcessorProperties processors;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aRebuildWithMoreSegmentsTakesOverUnderSteadyWritesToOneCounter() throws Exception {
        Http http = Http.querySide("http://localhost:" + port);
        String hot = "hot-" + UUID.randomUUID();
        AtomicLong written = new AtomicLong(events.increment(hot, 1));
        await().until(() -> http.get("/api/counters/" + hot).status() == 200);
        processors.getProcessors().get("counter-summary").setInitialSegmentCount(6); // the live version has 4

        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            while (writing.get()) {
                written.set(events.increment(hot, 1));
                pace();
            }
        });
        try {
            assertThat(http.post("/api/admin/projections/counter-summary/replay", null, null, KEY)
                            .status())
                    .isEqualTo(202);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> jdbc.queryForObject(
                            "SELECT building IS NULL FROM read_model WHERE name = 'counter-summary'", Boolean.class));
        } finally {
            writing.set(false);
            writer.join();
        }

        assertThat(jdbc.queryForObject("""
                        SELECT count(*) FROM TokenEntry
                         WHERE processorName = (SELECT 'counter-summary-' || live FROM read_model
                                                 WHERE name = 'counter-summary')
                        """, Integer.class)).isEqualTo(6);
        await().untilAsserted(() -> assertThat(
                        MAPPER.readTree(http.get("/api/counters/" + hot).body())
                                .get("value")
                                .asLong())
                .isEqualTo(written.get()));
    }

    private static void pace() {
        try {
            Thread.sleep(5); // the load's pace: a few hundred increments a second
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }
}

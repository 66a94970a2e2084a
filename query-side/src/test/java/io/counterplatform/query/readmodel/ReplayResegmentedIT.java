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
 * Rebuilds after the read models' segment counts were raised: each new version has segments of its own, and it
 * takes over while one counter is incremented without a pause, so that all but one of its segments see none of
 * the events that come in; every increment is counted once, in the summary and in the series.
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
    void rebuildsWithMoreSegmentsTakeOverUnderSteadyWritesToOneCounter() throws Exception {
        Http http = Http.querySide("http://localhost:" + port);
        String hot = "hot-" + UUID.randomUUID();
        AtomicLong written = new AtomicLong(events.increment(hot, 1));
        await().until(() -> http.get("/api/counters/" + hot).status() == 200);
        processors.getProcessors().get("counter-summary").setInitialSegmentCount(6); // the live version has 4
        processors.getProcessors().get("counter-series").setInitialSegmentCount(3); // and 1

        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            while (writing.get()) {
                written.set(events.increment(hot, 1));
                pace();
            }
        });
        try {
            for (String model : new String[] {"counter-summary", "counter-series"}) {
                assertThat(http.post("/api/admin/projections/" + model + "/replay", null, null, KEY)
                                .status())
                        .isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            jdbc.queryForObject("SELECT bool_and(building IS NULL) FROM read_model", Boolean.class));
        } finally {
            writing.set(false);
            writer.join();
        }

        assertThat(segmentsOfTheLiveVersion("counter-summary")).isEqualTo(6);
        assertThat(segmentsOfTheLiveVersion("counter-series")).isEqualTo(3);
        await().untilAsserted(() -> assertThat(
                        MAPPER.readTree(http.get("/api/counters/" + hot).body())
                                .get("value")
                                .asLong())
                .isEqualTo(written.get()));
        await().untilAsserted(() -> assertThat(jdbc.queryForObject(
                        "SELECT sum(increments) FROM counter_series WHERE counter_id = ? AND bucket = 'minute'",
                        Long.class,
                        hot))
                .isEqualTo(written.get()));
    }

    private Integer segmentsOfTheLiveVersion(String model) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM TokenEntry
                 WHERE processorName = (SELECT name || '-' || live FROM read_model WHERE name = ?)
                """, Integer.class, model);
    }

    private static void pace() {
        try {
            Thread.sleep(5); // the load's pace: a few hundred increments a second
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.counterplatform.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.query.readmodel.ReadModels;
import io.counterplatform.testsupport.Http;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** The processors' metrics move when they handle events. */
@IntegrationTest
@AutoConfigureObservability(tracing = false) // tests export no metrics unless asked
@TestPropertySource(properties = "counter.admin.api-key=metrics-admin-key")
@Import(EventStoreWriter.class)
class ProjectionMetricsIT {

    private static final String EVENTS = "counter_projection_events_total\\{[^}]*processor=\"counter-summary-1\"[^}]*}";
    private static final String LAG_EVENTS =
            "counter_projection_lag_events\\{[^}]*processor=\"counter-summary-1\"[^}]*}";
    private static final String LAG_MILLIS =
            "counter_projection_lag_milliseconds\\{[^}]*processor=\"counter-summary-1\"[^}]*}";
    private static final String LATENCY =
            "counter_projection_latency_seconds_count\\{[^}]*processor=\"counter-summary-1\"[^}]*}";

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Test
    void everyHandledEventIsCountedAndItsLatencyRecordedAndTheLagIsShown() {
        double handled = metric(EVENTS);
        double timed = metric(LATENCY);

        events.increment("metrics-" + UUID.randomUUID(), 1);
        events.increment("metrics-" + UUID.randomUUID(), 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> metric(EVENTS) >= handled + 2);
        assertThat(metric(LATENCY)).isGreaterThanOrEqualTo(timed + 2);
        assertThat(scrape()).contains("counter_projection_latency_seconds_bucket{");
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(LAG_EVENTS) == 0);
        assertThat(metric(LAG_MILLIS)).isZero();
    }

    /** Lag in events and in time, across instances (from the token table), in the metrics and the admin API. */
    @Test
    void theLagGrowsWhileTheProjectionIsStoppedAndIsGoneWhenItCatchesUp(@Autowired ReadModels readModels)
            throws Exception {
        StreamingEventProcessor projection =
                readModels.liveProcessor("counter-summary").orElseThrow();
        projection.shutdownAsync().get(10, TimeUnit.SECONDS);
        try {
            events.increment("metrics-" + UUID.randomUUID(), 1);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(metric(LAG_EVENTS)).isGreaterThanOrEqualTo(1);
                assertThat(metric(LAG_MILLIS)).isGreaterThanOrEqualTo(200);
            });
            JsonNode view = StreamSupport.stream(
                            new ObjectMapper()
                                    .readTree(admin("/api/admin/projections"))
                                    .spliterator(),
                            false)
                    .filter(processor -> processor.get("name").asText().equals("counter-summary"))
                    .findFirst()
                    .orElseThrow();
            assertThat(view.get("lag").asLong()).isPositive();
            assertThat(view.get("lagMillis").asLong()).isGreaterThanOrEqualTo(200);
        } finally {
            projection.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(LAG_EVENTS) == 0 && metric(LAG_MILLIS) == 0);
    }

    private double metric(String series) {
        Matcher value = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape());
        return value.find() ? Double.parseDouble(value.group(1)) : -1;
    }

    private String scrape() {
        return admin("/actuator/prometheus");
    }

    private String admin(String path) {
        return Http.querySide("http://localhost:" + port)
                .get(path, "X-Api-Key", "metrics-admin-key")
                .body();
    }
}

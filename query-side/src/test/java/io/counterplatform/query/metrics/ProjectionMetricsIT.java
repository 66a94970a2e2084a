package io.counterplatform.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private static final String EVENTS = "counter_projection_events_total\\{[^}]*processor=\"counter-summary\"[^}]*}";
    private static final String LATENCY =
            "counter_projection_latency_seconds_count\\{[^}]*processor=\"counter-summary\"[^}]*}";

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
        await().atMost(Duration.ofSeconds(10))
                .until(() -> metric("counter_projection_lag_events\\{[^}]*processor=\"counter-summary\"[^}]*}") == 0);
        assertThat(metric("counter_projection_lag_milliseconds\\{[^}]*processor=\"counter-summary\"[^}]*}"))
                .isZero();
    }

    private double metric(String series) {
        Matcher value = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape());
        return value.find() ? Double.parseDouble(value.group(1)) : -1;
    }

    private String scrape() {
        return new Http("http://localhost:" + port)
                .get("/actuator/prometheus", "X-Api-Key", "metrics-admin-key")
                .body();
    }
}

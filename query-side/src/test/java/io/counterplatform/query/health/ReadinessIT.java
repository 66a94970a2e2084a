package io.counterplatform.query.health;

import static org.awaitility.Awaitility.await;

import io.counterplatform.query.IntegrationTest;
import io.counterplatform.query.readmodel.ReadModels;
import io.counterplatform.testsupport.Http;
import java.time.Duration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** Readiness follows the processors: a read model no instance works on is not ready, and is again once one does. */
@IntegrationTest
@TestPropertySource(properties = "counter.health.unclaimed-segment-after=1s")
class ReadinessIT {

    @LocalServerPort
    private int port;

    @Autowired
    private ReadModels readModels;

    @Test
    void aProcessorWhoseSegmentsNoInstanceClaimsMakesTheServiceNotReady() {
        Http http = Http.querySide("http://localhost:" + port);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get("/actuator/health/readiness").status() == 200);

        StreamingEventProcessor summary =
                readModels.liveProcessor("counter-summary").orElseThrow();
        summary.shutDown();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> http.get("/actuator/health/readiness").status() == 503);
        } finally {
            summary.start();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get("/actuator/health/readiness").status() == 200);
    }
}

package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.launcher.ServiceProcess;
import io.counterplatform.testsupport.Http;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two query-side instances share the projections' segments. A rebuild started on one survives that instance's
 * crash: the other takes its segments over with Axon's claims, from their tokens, and the rebuilt model agrees with every acknowledged
 * increment, including those made while it was being built.
 */
class ReplayAcrossInstancesIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] KEY = {"X-Api-Key", "e2e-key"};

    private static Platform platform;

    @BeforeAll
    static void start() {
        platform = new Platform(
                        "COUNTER_ADMIN_API_KEY", "e2e-key",
                        // slow enough to be caught mid-way, short claims so a crash is noticed soon
                        "COUNTER_REPLAY_MAX_EVENTS_PER_SECOND", "1000",
                        "AXON_EVENTHANDLING_TOKENSTORE_CLAIMTIMEOUT", "3s")
                .start();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aReplayWhoseInstanceCrashesIsFinishedByTheOtherAndCountsNothingTwice() throws Exception {
        Load load = new Load(platform.commands(), 20);
        load.run(16, 6_000);
        ServiceProcess first = platform.startQueryInstance("query-side-a", Platform.freePort());
        Http second = platform.queries();
        Http firstHttp = Http.querySide(first.baseUrl());
        await().atMost(Duration.ofMinutes(1))
                .until(() -> projection(firstHttp).get("lag").asLong(-1) == 0);

        assertThat(firstHttp
                        .post("/api/admin/projections/counter-summary/replay", null, null, KEY)
                        .status())
                .isEqualTo(202);
        CompletableFuture<Void> writesDuringReplay = CompletableFuture.runAsync(() -> {
            try {
                load.run(4, 1_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofMinutes(1))
                .until(() -> projection(second).get("replay").path("progress").asDouble() > 0.1);
        assertThat(projection(second).get("status").asText()).isEqualTo("REPLAYING");
        first.kill();

        writesDuringReplay.join();
        await().atMost(Duration.ofMinutes(2))
                .until(() -> projection(second).get("replay").isNull());
        assertThat(projection(second).get("status").asText()).isEqualTo("RUNNING");
        await().atMost(Duration.ofMinutes(1))
                .untilAsserted(() -> assertThat(Platform.readModel(second)).isEqualTo(load.expectedReadModel()));
    }

    private static JsonNode projection(Http queries) throws IOException {
        for (JsonNode projection :
                MAPPER.readTree(queries.get("/api/admin/projections", KEY).body())) {
            if (projection.get("name").asText().equals("counter-summary")) {
                return projection;
            }
        }
        throw new AssertionError("counter-summary is not listed");
    }
}

package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.launcher.ServiceProcess;
import io.counterplatform.testsupport.Http;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two query-side instances share the projections' segments. Rebuilds of both read models started on one survive
 * that instance's crash: the other takes their segments over with Axon's claims, from their tokens, and both rebuilt
 * models agree with every acknowledged increment, including those made while they were being built: the summary
 * with each counter's state, the series with each counter's count and sum.
 */
class ReplayAcrossInstancesIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] KEY = {"X-Api-Key", "e2e-key"};
    private static final List<String> MODELS = List.of("counter-summary", "counter-series");

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
                .until(() -> projection(firstHttp, "counter-summary").get("lag").asLong(-1) == 0);

        for (String model : MODELS) {
            assertThat(firstHttp
                            .post("/api/admin/projections/" + model + "/replay", null, null, KEY)
                            .status())
                    .isEqualTo(202);
        }
        CompletableFuture<Void> writesDuringReplay = CompletableFuture.runAsync(() -> {
            try {
                load.run(4, 1_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofMinutes(1))
                .until(() -> projection(second, "counter-summary")
                                .get("replay")
                                .path("progress")
                                .asDouble()
                        > 0.1);
        for (String model : MODELS) {
            assertThat(projection(second, model).get("status").asText()).isEqualTo("REPLAYING");
        }
        first.kill();

        writesDuringReplay.join();
        for (String model : MODELS) {
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> projection(second, model).get("replay").isNull());
            assertThat(projection(second, model).get("status").asText()).isEqualTo("RUNNING");
        }
        await().atMost(Duration.ofMinutes(1))
                .untilAsserted(() -> assertThat(Platform.readModel(second)).isEqualTo(load.expectedReadModel()));
        // each acknowledged increment counted once in the series too: its days add up to the counter's state
        await().atMost(Duration.ofMinutes(1))
                .untilAsserted(
                        () -> assertThat(series(second, load.expectedReadModel().keySet()))
                                .isEqualTo(load.expectedReadModel()));
    }

    /** Each counter's increments and amount over every day of its series, as {@code value=..,version=..}. */
    private static Map<String, String> series(Http queries, Set<String> counters) throws IOException {
        Instant now = Instant.now();
        Map<String, String> sums = new TreeMap<>();
        for (String counter : counters) {
            long increments = 0;
            long amount = 0;
            for (JsonNode day : MAPPER.readTree(queries.get("/api/counters/" + counter + "/series?interval=day&from="
                                    + now.minus(Duration.ofDays(2)) + "&to=" + now.plus(Duration.ofDays(1)))
                            .body())
                    .get("items")) {
                increments += day.get("increments").asLong();
                amount += day.get("amount").asLong();
            }
            sums.put(counter, "value=" + amount + ",version=" + increments);
        }
        return sums;
    }

    private static JsonNode projection(Http queries, String name) throws IOException {
        for (JsonNode projection :
                MAPPER.readTree(queries.get("/api/admin/projections", KEY).body())) {
            if (projection.get("name").asText().equals(name)) {
                return projection;
            }
        }
        throw new AssertionError(name + " is not listed");
    }
}

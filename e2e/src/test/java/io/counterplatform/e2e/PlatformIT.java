package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Both services as separate processes on one PostgreSQL, driven over HTTP only: what clients were told, what
 * the event store holds and what the read model shows must agree exactly, under load and across a crash.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformIT {

    private static final int CLIENT_THREADS = 16;
    private static final int SPREAD_COUNTERS = 50;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Platform platform;
    private static Load load;

    @BeforeAll
    static void start() {
        // a failed webhook attempt is logged at debug: the trace test finds its trace id there
        platform = new Platform(
                        "SPRING_APPLICATION_JSON",
                        "{\"logging.level.io.counterplatform.query.webhook.WebhookSender\":\"DEBUG\"}")
                .start();
        load = new Load(platform.commands(), SPREAD_COUNTERS);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void everyAcknowledgedIncrementIsStoredAndProjectedExactlyOnce() throws Exception {
        load.run(CLIENT_THREADS, 5_000);

        assertThat(load.acknowledgedCounts()).containsKey(Load.HOT_COUNTER).hasSize(SPREAD_COUNTERS + 1);
        assertAllAgree();
    }

    @Test
    @Order(2)
    void aQuerySideKilledMidStreamLosesAndDoublesNothingAndItsWebhooksArriveAtLeastOnce() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Webhooks webhooks = Webhooks.subscribe(platform, receiver);
            int before = load.sent();
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                try {
                    load.run(CLIENT_THREADS, 3_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofMinutes(1)).until(() -> load.sent() - before >= 1_000);

            platform.crashQuerySide();
            platform.startQuerySide();
            traffic.join();

            assertAllAgree();
            // at least once, and in version order per counter
            assertThat(webhooks.violations(platform)).isEmpty();
        }
    }

    @Test
    @Order(3)
    void bothServicesPublishHealthAndOpenApi() throws IOException {
        for (Http service : new Http[] {platform.commands(), platform.queries()}) {
            assertThat(service.get("/actuator/health").body()).contains("\"UP\"");
            assertThat(MAPPER.readTree(service.get("/v3/api-docs").body())
                            .get("paths")
                            .size())
                    .isPositive();
            assertThat(service.get("/swagger-ui/index.html").status()).isEqualTo(200);
            assertThat(service.get("/actuator/prometheus", "X-Api-Key", Platform.ADMIN_KEY)
                            .body())
                    .contains("jvm_memory_used_bytes");
        }
    }

    /** The Grafana board shows nothing it cannot have: every metric it queries is one the services publish. */
    @Test
    @Order(4)
    void everyMetricOfTheGrafanaBoardIsPublished() throws Exception {
        Http admin = new Http(platform.queries().baseUrl(), "X-Api-Key", Platform.ADMIN_KEY);
        assertThat(admin.post("/api/admin/projections/counter-summary/replay", null, null)
                        .status())
                .isEqualTo(202);
        await().atMost(Duration.ofMinutes(2))
                .until(() -> !admin.get("/api/admin/projections").body().contains("REPLAYING"));
        String published = platform.commands()
                        .get("/actuator/prometheus", "X-Api-Key", Platform.ADMIN_KEY)
                        .body()
                + admin.get("/actuator/prometheus").body();

        Set<String> queried = new TreeSet<>();
        JsonNode board =
                MAPPER.readTree(Path.of("..", "observability", "grafana", "dashboards", "counter-platform.json")
                        .toFile());
        for (JsonNode target : board.findValues("targets")) {
            for (JsonNode query : target) {
                Matcher metric = Pattern.compile("\\b((?:counter|cache)_[a-z0-9_]+)")
                        .matcher(query.get("expr").asText());
                while (metric.find()) {
                    queried.add(metric.group(1));
                }
            }
        }

        assertThat(queried).hasSizeGreaterThan(10);
        assertThat(queried).allSatisfy(metric -> assertThat(published).containsPattern("(?m)^" + metric + "[{ ]"));
    }

    /**
     * A client's trace runs through both services: the command and its stored event, the webhook processor and
     * each delivery attempt (which passes it on), with the trace id in the log lines written along the way.
     */
    @Test
    @Order(5)
    void oneTraceRunsFromTheRequestThroughTheEventToEveryWebhookAttempt() throws Exception {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(first -> receiver.all().isEmpty() ? 503 : 204);
            Http.Response subscribed = platform.queries()
                    .post(
                            "/api/subscriptions",
                            "application/json",
                            "{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"traced\"}",
                            "X-Api-Key",
                            Platform.ADMIN_KEY);
            assertThat(subscribed.status()).isEqualTo(201);

            Http.Response incremented = platform.commands()
                    .post(
                            "/api/counters/traced/increments",
                            null,
                            null,
                            "traceparent",
                            "00-" + traceId + "-00f067aa0ba902b7-01");

            assertThat(incremented.status()).isEqualTo(200);
            assertThat(platform.tally(
                            "SELECT 'traced', count(*) FROM DomainEventEntry WHERE aggregateIdentifier = 'traced'"
                                    + " AND convert_from(metaData, 'UTF8') LIKE '%" + traceId + "%'"))
                    .containsEntry("traced", 1L);
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> !receiver.accepted().isEmpty());
            assertThat(receiver.all())
                    .hasSize(2)
                    .allSatisfy(
                            attempt -> assertThat(attempt.header("traceparent")).startsWith("00-" + traceId + "-"));
            assertThat(Files.readAllLines(Path.of("target", "e2e-logs", "query-side.log")))
                    .anySatisfy(line -> assertThat(line).contains(traceId).contains("failed (attempt 1)"));
        }
    }

    private static void assertAllAgree() throws SQLException {
        Map<String, Long> sums = load.acknowledgedSums();
        Map<String, Long> counts = load.acknowledgedCounts();

        assertThat(load.violations()).isEmpty();
        assertThat(platform.eventStoreSums()).isEqualTo(sums);
        assertThat(platform.eventStoreCounts()).isEqualTo(counts);
        await().atMost(Duration.ofMinutes(1))
                .untilAsserted(
                        () -> assertThat(Platform.readModel(platform.queries())).isEqualTo(load.expectedReadModel()));
    }
}

package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.client.commands.IncrementsApi;
import io.counterplatform.client.commands.invoker.ApiResponse;
import io.counterplatform.client.commands.model.IncrementRequest;
import io.counterplatform.client.commands.model.IncrementResponse;
import io.counterplatform.client.queries.CountersApi;
import io.counterplatform.client.queries.SubscriptionsApi;
import io.counterplatform.client.queries.model.CounterSeriesItemsInner;
import io.counterplatform.client.queries.model.CreatedSubscription;
import io.counterplatform.client.queries.model.NewSubscription;
import io.counterplatform.client.queries.model.Subscription;
import io.counterplatform.testsupport.ApiContract;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.WebhookReceiver;
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
    void bothServicesPublishHealthAndTheirCommittedApiDocuments() {
        ApiContract.COMMAND_SIDE.assertServedBy(platform.commands());
        ApiContract.QUERY_SIDE.assertServedBy(platform.queries());
        for (Http service : new Http[] {platform.commands(), platform.queries()}) {
            assertThat(service.get("/actuator/health").body()).contains("\"UP\"");
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
        Http admin = Http.querySide(platform.queries().baseUrl(), "X-Api-Key", Platform.ADMIN_KEY);
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

    /**
     * A client generated from the committed documents (openapi-generator, strict about unknown fields) increments,
     * reads, subscribes, and reads refusals as typed problems.
     */
    @Test
    @Order(6)
    void aClientGeneratedFromTheDocumentsHandlesItsAnswers() throws Exception {
        var commandClient = new io.counterplatform.client.commands.invoker.ApiClient();
        commandClient.updateBaseUri(platform.commands().baseUrl());
        commandClient.getObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        var queryClient = new io.counterplatform.client.queries.invoker.ApiClient();
        queryClient.updateBaseUri(platform.queries().baseUrl());
        queryClient.getObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        queryClient.setRequestInterceptor(request -> request.header("X-Api-Key", Platform.ADMIN_KEY));
        IncrementsApi increments = new IncrementsApi(commandClient);
        CountersApi counters = new CountersApi(queryClient);
        SubscriptionsApi subscriptions = new SubscriptionsApi(queryClient);
        String counterId = "generated-" + UUID.randomUUID();

        try (WebhookReceiver receiver = new WebhookReceiver()) {
            CreatedSubscription subscription = subscriptions.createSubscription(
                    new NewSubscription().callbackUrl(receiver.url()).counterId(counterId));
            IncrementResponse first =
                    increments.increment(counterId, "generated-1", null, new IncrementRequest().amount(5L));
            ApiResponse<IncrementResponse> again =
                    increments.incrementWithHttpInfo(counterId, "generated-1", null, new IncrementRequest().amount(5L));

            assertThat(subscription.getSecret()).startsWith("whsec_");
            assertThat(first.getValue()).isEqualTo(5L);
            assertThat(again.getData()).isEqualTo(first);
            assertThat(again.getHeaders()).containsEntry("idempotent-replayed", java.util.List.of("true"));
            assertThat(counters.getCounter(counterId, first.getVersion(), 5_000L, null)
                            .getValue())
                    .isEqualTo(5L);
            assertThat(counters.getCounterEvents(counterId, null, null).getItems())
                    .singleElement()
                    .satisfies(event -> assertThat(event.getAmount()).isEqualTo(5L));
            assertThat(subscriptions.getSubscription(subscription.getId()).getStatus())
                    .isEqualTo(Subscription.StatusEnum.ENABLED);
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> receiver.accepted().stream()
                            .anyMatch(hook -> hook.body().contains(counterId)));
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> counters.getCounterSeries(counterId, "minute", null, null).getItems().stream()
                                    .mapToLong(CounterSeriesItemsInner::getIncrements)
                                    .sum()
                            == 1);

            io.counterplatform.client.commands.model.Problem stale = commandClient
                    .getObjectMapper()
                    .readValue(
                            catchThrowableOfType(
                                            () -> increments.increment(counterId, null, "\"7\"", null),
                                            io.counterplatform.client.commands.invoker.ApiException.class)
                                    .getResponseBody(),
                            io.counterplatform.client.commands.model.Problem.class);
            assertThat(stale.getStatus()).isEqualTo(412);
            assertThat(stale.getType()).isEqualTo("urn:counter-platform:problem:version-mismatch");
            assertThat(stale.getCurrentVersion()).isEqualTo(1L);
            io.counterplatform.client.queries.model.Problem missing = queryClient
                    .getObjectMapper()
                    .readValue(
                            catchThrowableOfType(
                                            () -> counters.getCounter("never-" + counterId, null, null, null),
                                            io.counterplatform.client.queries.invoker.ApiException.class)
                                    .getResponseBody(),
                            io.counterplatform.client.queries.model.Problem.class);
            assertThat(missing.getStatus()).isEqualTo(404);
            assertThat(missing.getType()).isEqualTo("urn:counter-platform:problem:not-found");
            subscriptions.deleteSubscription(subscription.getId());
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

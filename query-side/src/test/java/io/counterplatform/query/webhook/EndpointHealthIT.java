package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Endpoints that fail: they cost other subscribers nothing, what they cost in storage does not grow with the events
 * they miss, and after failing for the configured time they are disabled, then resume where they stopped.
 */
@IntegrationTest
@Import(EventStoreWriter.class)
@TestPropertySource(
        properties = {
            "counter.webhooks.allow-private-targets=true",
            "counter.webhooks.initial-backoff=50ms",
            "counter.webhooks.max-backoff=200ms",
            "counter.webhooks.max-attempts=1000",
            "counter.webhooks.poll-interval=50ms",
            "counter.webhooks.timeout=2s",
            "counter.webhooks.workers=2",
            "counter.webhooks.failing-workers=1",
            "counter.webhooks.disable-after=2s",
            "counter.webhooks.max-subscriptions-per-key=1000",
            "counter.webhooks.max-held-counters=2",
            "counter.security.client-keys.tests=" + EndpointHealthIT.CLIENT_KEY
        })
class EndpointHealthIT {

    static final String CLIENT_KEY = "endpoint-health-client-key";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private JdbcClient jdbc;

    private Http http;

    @BeforeEach
    void setUp() {
        http = Http.querySide("http://localhost:" + port, "X-Api-Key", CLIENT_KEY);
        jdbc.sql("DELETE FROM webhook_subscription").update();
    }

    @Test
    void aHealthySubscriberGetsEverythingWhileThirtyOthersFailAndTheirHoldsStayFew() {
        String prefix = "iso-" + UUID.randomUUID() + "-";
        List<WebhookReceiver> failing = new ArrayList<>();
        try (WebhookReceiver healthy = new WebhookReceiver()) {
            for (int i = 0; i < 30; i++) {
                WebhookReceiver down = new WebhookReceiver();
                down.answer(request -> 500);
                failing.add(down);
                subscribe("{\"callbackUrl\":\"" + down.url() + "\"}");
            }
            subscribe("{\"callbackUrl\":\"" + healthy.url() + "\"}");

            for (int i = 0; i < 300; i++) {
                events.increment(prefix + (i % 10), 1);
            }

            await().atMost(PATIENCE).until(() -> healthy.accepted().size() == 300);
            // per failing subscription: at most a hold per counter, however many events it misses
            assertThat(jdbc.sql("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM webhook_hold "
                                    + "GROUP BY subscription_id) holds")
                            .query(Long.class)
                            .single())
                    .isLessThanOrEqualTo(10);
            // an endpoint that is down is tried about once a round, not once an event
            assertThat(failing.stream().mapToInt(down -> down.all().size()).sum())
                    .isLessThan(30 * 300 / 2);
            // the others are failing, or disabled already
            assertThat(json(http.get("/api/subscriptions")).findValuesAsText("status"))
                    .hasSize(31)
                    .filteredOn("enabled"::equals)
                    .hasSize(1);
        } finally {
            failing.forEach(WebhookReceiver::close);
        }
    }

    @Test
    void aSubscriptionFailingForTheConfiguredTimeIsDisabledAndResumesWhereItStoppedWhenEnabled() {
        String counter = "health-" + UUID.randomUUID();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(request -> 500);
            String id = json(subscribe(
                            "{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"" + counter + "\"}"))
                    .get("id")
                    .asText();
            events.increment(counter, 1);
            events.increment(counter, 1);
            events.increment(counter, 1);

            await().atMost(PATIENCE)
                    .until(() -> json(http.get("/api/subscriptions/" + id))
                            .get("status")
                            .asText()
                            .equals("disabled"));
            JsonNode disabled = json(http.get("/api/subscriptions/" + id));
            assertThat(disabled.get("lastError").asText()).isEqualTo("answered 500");
            assertThat(disabled.get("failingSince").asText()).isNotBlank();
            assertThat(disabled.get("disabledAt").asText()).isNotBlank();
            receiver.answer(request -> 204);
            events.increment(counter, 1);
            events.increment(counter, 1);
            int attemptsWhileDisabled = receiver.all().size();
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> receiver.all().size() == attemptsWhileDisabled);

            Http.Response enabled = http.post("/api/subscriptions/" + id + "/enable", null, null);

            assertThat(enabled.status()).isEqualTo(200);
            assertThat(json(enabled).get("status").asText()).isEqualTo("enabled");
            await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 5);
            assertThat(receiver.accepted())
                    .extracting(r -> json(r.body()).get("data").get("version").asLong())
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(json(http.get("/api/subscriptions/" + id)).get("status").asText())
                    .isEqualTo("enabled");
            assertThat(http.post("/api/subscriptions/" + id + "/enable", null, null)
                            .status())
                    .isEqualTo(409);
            assertThat(http.post("/api/subscriptions/" + UUID.randomUUID() + "/enable", null, null)
                            .status())
                    .isEqualTo(404);
        }
    }

    @Test
    void atTheLimitOfCountersOnHoldLaterEventsWaitUntriedWhileTheHoldsAreRetried() {
        String prefix = "limit-" + UUID.randomUUID() + "-";
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            boolean[] healed = {false};
            receiver.answer(request -> healed[0] || request.body().contains(prefix + "c") ? 204 : 500);
            String id = json(subscribe("{\"callbackUrl\":\"" + receiver.url() + "\"}"))
                    .get("id")
                    .asText();
            events.increment(prefix + "a", 1);
            events.increment(prefix + "b", 1);
            events.increment(prefix + "c", 1);

            await().atMost(PATIENCE)
                    .until(() -> json(http.get("/api/subscriptions/" + id))
                            .get("lastError")
                            .asText()
                            .contains("counters on hold"));
            assertThat(receiver.all()).noneMatch(request -> request.body().contains(prefix + "c"));

            healed[0] = true;
            await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 3);
            assertThat(jdbc.sql("SELECT count(*) FROM webhook_hold")
                            .query(Long.class)
                            .single())
                    .isZero();
        }
    }

    private Http.Response subscribe(String body) {
        Http.Response created = http.post("/api/subscriptions", "application/json", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created;
    }

    private static JsonNode json(Http.Response response) {
        return json(response.body());
    }

    private static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(body, e);
        }
    }
}

package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import io.counterplatform.testsupport.WebhookReceiver;
import io.counterplatform.testsupport.WebhookReceiver.Received;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** Webhooks against a real receiver on loopback: signed, ordered, retried, dead-lettered, redelivered. */
@IntegrationTest
@Import(EventStoreWriter.class)
@TestPropertySource(
        properties = {
            "counter.webhooks.allow-private-targets=true",
            "counter.webhooks.initial-backoff=50ms",
            "counter.webhooks.max-attempts=3",
            "counter.webhooks.poll-interval=50ms",
            "counter.webhooks.timeout=2s",
            "counter.security.client-keys.tests=" + WebhookIT.CLIENT_KEY,
            "counter.security.client-keys.others=" + WebhookIT.OTHER_CLIENT_KEY,
            "counter.admin.api-key=" + WebhookIT.ADMIN_KEY
        })
@AutoConfigureObservability(tracing = false) // tests export no metrics unless asked
class WebhookIT {

    static final String CLIENT_KEY = "webhook-tests-client-key";
    static final String OTHER_CLIENT_KEY = "webhook-tests-other-client-key";
    static final String ADMIN_KEY = "webhook-tests-admin-key";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A 32 byte key, as a subscriber may choose it. */
    private static final String SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("a key of 32 bytes, chosen by me.".getBytes(StandardCharsets.UTF_8));

    private static final String GENERATED_SECRET = "whsec_[A-Za-z0-9+/]{43}=";

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private EventProcessingConfiguration processing;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private TransactionTemplate transactions;

    private Http http;
    private WebhookReceiver receiver;
    private String counter;

    @BeforeEach
    void setUp() {
        http = Http.querySide("http://localhost:" + port, "X-Api-Key", CLIENT_KEY);
        receiver = new WebhookReceiver();
        counter = "w-" + UUID.randomUUID();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void aSubscriptionIsCreatedReadListedAndDeleted() {
        Response created = subscribe("{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"" + counter + "\"}");
        JsonNode subscription = json(created);
        String id = subscription.get("id").asText();

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location"))
                .hasValueSatisfying(location -> assertThat(location).endsWith("/api/subscriptions/" + id));
        assertThat(subscription.get("callbackUrl").asText()).isEqualTo(receiver.url());
        assertThat(subscription.get("counterId").asText()).isEqualTo(counter);
        assertThat(subscription.get("secret").asText()).matches(GENERATED_SECRET);
        assertThat(subscription.get("createdAt").asText()).isNotBlank();

        JsonNode read = json(http.get("/api/subscriptions/" + id));
        assertThat(read.has("secret")).isFalse();
        assertThat(read.get("id").asText()).isEqualTo(id);
        assertThat(json(http.get("/api/subscriptions")).findValuesAsText("id")).contains(id);
        assertThat(json(http.get("/api/subscriptions")).findValues("secret")).isEmpty();

        assertThat(http.delete("/api/subscriptions/" + id).status()).isEqualTo(204);
        assertThat(http.get("/api/subscriptions/" + id).status()).isEqualTo(404);
        assertThat(http.delete("/api/subscriptions/" + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"callbackUrl\":\"ftp://example.org/hook\"}",
                "{\"callbackUrl\":\"not a url\"}",
                "{\"callbackUrl\":\"http://127.0.0.1/x\",\"counterId\":\"-bad\"}",
                "{\"callbackUrl\":\"http://127.0.0.1/x\",\"secret\":\"\"}",
                "{\"callbackUrl\":\"http://127.0.0.1/x\",\"secret\":\"a-plain-secret-of-forty-characters-long!\"}",
                "{\"callbackUrl\":\"http://127.0.0.1/x\",\"secret\":\"whsec_c2hvcnQ=\"}",
                "{\"callbackUrl\":\"http://127.0.0.1/x\",\"secret\":\"whsec_YSBrZXkgb2YgMzIgYnl0ZXMsIGNob3NlbiBieSBtZS4\"}",
                "{\"callbackUrl\":\"http://127.0.0.1/x\",\"secret\":\"whsec_not base64 at all, not base64 at all\"}",
                "{\"callbackUrl\":\"http://127.0.0.1/x\",\"unknown\":1}",
                "[]",
                "nonsense"
            })
    void anInvalidSubscriptionIs400(String body) {
        Response response = subscribe(body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void everyEventIsPostedAsAStandardWebhookInVersionOrder() throws Exception {
        subscribe("{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"" + counter + "\",\"secret\":\"" + SECRET
                + "\"}");
        for (int amount = 1; amount <= 5; amount++) {
            events.increment(counter, amount);
        }

        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 5);

        List<Received> received = receiver.accepted();
        assertThat(received).extracting(r -> data(r).get("version").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
        for (Received delivery : received) {
            // the subscriber's check, by the Standard Webhooks library: throws unless authentic and fresh
            new Webhook(SECRET).verify(delivery.body(), delivery.headers());
            JsonNode body = json(delivery.body());
            assertThat(body.get("type").asText()).isEqualTo("counter.incremented");
            assertThat(body.get("timestamp").asText())
                    .isEqualTo(data(delivery).get("timestamp").asText());
            assertThat(delivery.header("webhook-id"))
                    .isEqualTo(data(delivery).get("eventId").asText());
            assertThat(delivery.header("Content-Type")).startsWith("application/json");
            assertThat(data(delivery).get("counterId").asText()).isEqualTo(counter);
        }
        JsonNode third = data(received.get(2));
        assertThat(third.get("amount").asLong()).isEqualTo(3);
        assertThat(third.get("value").asLong()).isEqualTo(6);
    }

    @Test
    void aTamperedBodyOrAStaleTimestampFailsTheSubscribersCheck() {
        subscribe("{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"" + counter + "\",\"secret\":\"" + SECRET
                + "\"}");
        events.increment(counter, 5);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 1);
        Received delivery = receiver.accepted().get(0);
        Webhook subscriber = new Webhook(SECRET);
        Map<String, List<String>> replayedLater = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        replayedLater.putAll(delivery.headers());
        long sent = Long.parseLong(delivery.header("webhook-timestamp"));
        replayedLater.put("webhook-timestamp", List.of(Long.toString(sent - 600)));

        assertThatCode(() -> subscriber.verify(delivery.body(), delivery.headers()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() ->
                        subscriber.verify(delivery.body().replace("\"amount\":5", "\"amount\":50"), delivery.headers()))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> subscriber.verify(delivery.body(), replayedLater))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("too old");
        assertThatThrownBy(() -> new Webhook(WebhookSecrets.generate()).verify(delivery.body(), delivery.headers()))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aRotatedSecretSignsNextToTheNewOneAndOnlyTheOwnerMayRotate() throws Exception {
        JsonNode created =
                json(subscribe("{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"" + counter + "\"}"));
        String id = created.get("id").asText();
        String old = created.get("secret").asText();

        Response rotated = http.post("/api/subscriptions/" + id + "/secret", null, null);
        String fresh = json(rotated).get("secret").asText();
        events.increment(counter, 1);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 1);
        Received delivery = receiver.accepted().get(0);

        assertThat(rotated.status()).isEqualTo(200);
        assertThat(fresh).matches(GENERATED_SECRET).isNotEqualTo(old);
        assertThat(delivery.header("webhook-signature").split(" ")).hasSize(2);
        new Webhook(fresh).verify(delivery.body(), delivery.headers());
        new Webhook(old).verify(delivery.body(), delivery.headers());

        // the overlap over: the new secret alone signs
        jdbc.sql("UPDATE webhook_retired_secret SET signs_until = now() - interval '1 second'"
                        + " WHERE subscription_id = ?")
                .param(UUID.fromString(id))
                .update();
        events.increment(counter, 1);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 2);
        Received after = receiver.accepted().get(1);
        assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
        new Webhook(fresh).verify(after.body(), after.headers());
        assertThatThrownBy(() -> new Webhook(old).verify(after.body(), after.headers()))
                .isInstanceOf(WebhookVerificationException.class);
        assertThat(Http.querySide("http://localhost:" + port, "X-Api-Key", OTHER_CLIENT_KEY)
                        .post("/api/subscriptions/" + id + "/secret", null, null)
                        .status())
                .isEqualTo(404);
        assertThat(http.post("/api/subscriptions/" + UUID.randomUUID() + "/secret", null, null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void eachReplacedSecretSignsForItsOwnOverlapTheTenNewestAtMost() throws Exception {
        JsonNode created =
                json(subscribe("{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"" + counter + "\"}"));
        String id = created.get("id").asText();
        List<String> secrets = new ArrayList<>(List.of(created.get("secret").asText()));
        for (int rotation = 0; rotation < 2; rotation++) {
            secrets.add(json(http.post("/api/subscriptions/" + id + "/secret", null, null))
                    .get("secret")
                    .asText());
        }
        events.increment(counter, 1);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 1);
        Received delivery = receiver.accepted().get(0);

        assertThat(delivery.header("webhook-signature").split(" ")).hasSize(3);
        for (String secret : secrets) {
            new Webhook(secret).verify(delivery.body(), delivery.headers());
        }

        // the first rotation's overlap over, the second's not: the secret it replaced stops signing alone
        jdbc.sql("UPDATE webhook_retired_secret SET signs_until = now() - interval '1 second' WHERE secret = ?")
                .param(secrets.get(0))
                .update();
        events.increment(counter, 1);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 2);
        Received afterTheFirstOverlap = receiver.accepted().get(1);
        assertThat(afterTheFirstOverlap.header("webhook-signature").split(" ")).hasSize(2);
        new Webhook(secrets.get(1)).verify(afterTheFirstOverlap.body(), afterTheFirstOverlap.headers());
        new Webhook(secrets.get(2)).verify(afterTheFirstOverlap.body(), afterTheFirstOverlap.headers());
        assertThatThrownBy(() ->
                        new Webhook(secrets.get(0)).verify(afterTheFirstOverlap.body(), afterTheFirstOverlap.headers()))
                .isInstanceOf(WebhookVerificationException.class);

        // each rotation adds a signature to every delivery: the ten newest replaced secrets sign, no more
        for (int rotation = 0; rotation < 10; rotation++) {
            secrets.add(json(http.post("/api/subscriptions/" + id + "/secret", null, null))
                    .get("secret")
                    .asText());
        }
        events.increment(counter, 1);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 3);
        Received capped = receiver.accepted().get(2);
        assertThat(capped.header("webhook-signature").split(" ")).hasSize(11);
        for (String secret : secrets.subList(secrets.size() - 11, secrets.size())) {
            new Webhook(secret).verify(capped.body(), capped.headers());
        }
        assertThatThrownBy(() -> new Webhook(secrets.get(1)).verify(capped.body(), capped.headers()))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void anEventStoredAfterARotationIsSignedWithTheNewSecretByARoundUnderWaySinceBefore() throws Exception {
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        receiver.answer(request -> {
            if (firstArrived.getCount() > 0) {
                firstArrived.countDown();
                awaitQuietly(release); // the round that claimed the subscription with the first secret goes on
            }
            return 204;
        });
        String id = json(subscribe("{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"" + counter + "\"}"))
                .get("id")
                .asText();
        events.increment(counter, 1);
        awaitQuietly(firstArrived);

        String fresh = json(http.post("/api/subscriptions/" + id + "/secret", null, null))
                .get("secret")
                .asText();
        events.increment(counter, 1);
        // stored and streamed (the read model has it), so the round under way reads it once released
        assertThat(http.get("/api/counters/" + counter + "?minVersion=2&waitMillis=10000")
                        .status())
                .isEqualTo(200);
        release.countDown();

        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 2);
        Received second = receiver.accepted().get(1);
        assertThat(data(second).get("version").asLong()).isEqualTo(2);
        new Webhook(fresh).verify(second.body(), second.headers());
    }

    @Test
    void onlyEventsAfterTheSubscriptionAreDelivered() {
        events.increment(counter, 1);
        events.increment(counter, 1);
        subscribe("{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"" + counter + "\"}");
        events.increment(counter, 1);

        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 1);
        assertThat(data(receiver.accepted().get(0)).get("version").asLong()).isEqualTo(3);
    }

    @Test
    void anEventCommittedAfterOneStoredBehindItIsDeliveredWithoutWaitingForAnother() throws Exception {
        Response created = subscribe("{\"callbackUrl\":\"" + receiver.url() + "\"}");
        String subscription = json(created).get("id").asText();
        // two command-side instances commit at once: the one that took the earlier place commits last
        String late = counter + "-late";
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> lateAppend = appendHeldOpenUntil(commit, late);
        events.increment(counter, 1);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 1);
        long head = jdbc.sql("SELECT max(globalIndex) FROM DomainEventEntry")
                .query(Long.class)
                .single();
        await().atMost(PATIENCE)
                .until(() -> jdbc.sql("SELECT cursor_position FROM webhook_subscription WHERE id = ?::uuid")
                                .param(subscription)
                                .query(Long.class)
                                .single()
                        >= head);

        commit.countDown();
        lateAppend.get(10, TimeUnit.SECONDS);

        // nothing else is stored: the late event alone must bring its subscriber its delivery
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 2);
        assertThat(data(receiver.accepted().get(1)).get("counterId").asText()).isEqualTo(late);
    }

    @Test
    void anEventStillCommittingBelowTheHeadWhenASubscriptionIsCreatedIsDeliveredToIt() throws Exception {
        // another instance's append holds a place while a later one commits: the head passes it
        String late = counter + "-late";
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> lateAppend = appendHeldOpenUntil(commit, late);
        events.increment(counter, 1);

        try {
            subscribe("{\"callbackUrl\":\"" + receiver.url() + "\"}");
        } finally {
            commit.countDown();
        }
        lateAppend.get(10, TimeUnit.SECONDS);

        // committed after the subscription was created: delivered; the one stored before it: not
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 1);
        assertThat(data(receiver.accepted().get(0)).get("counterId").asText()).isEqualTo(late);
        events.increment(counter, 1);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 2);
        assertThat(data(receiver.accepted().get(1)).get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aPlaceMissingBehindAnEventStampedOverAMinuteAgoIsNoGapOfANewSubscriptionsCursor() {
        burnAPlace(); // a rolled-back append
        events.increment(counter, 1);
        jdbc.sql("UPDATE DomainEventEntry SET timeStamp = ?"
                        + " WHERE globalIndex = (SELECT max(globalIndex) FROM DomainEventEntry)")
                .param(Instant.now().minusSeconds(90).toString())
                .update();
        String afterAnOldEvent = json(subscribe("{\"callbackUrl\":\"" + receiver.url() + "\"}"))
                .get("id")
                .asText();
        assertThat(cursorHasGaps(afterAnOldEvent)).isFalse();

        burnAPlace();
        events.increment(counter, 1);
        String afterARecentOne = json(subscribe("{\"callbackUrl\":\"" + receiver.url() + "\"}"))
                .get("id")
                .asText();
        assertThat(cursorHasGaps(afterARecentOne)).isTrue();
    }

    private void burnAPlace() {
        jdbc.sql("SELECT nextval(pg_get_serial_sequence('domainevententry', 'globalindex'))")
                .query(Long.class)
                .single();
    }

    private boolean cursorHasGaps(String subscription) {
        return jdbc.sql("SELECT cursor_has_gaps FROM webhook_subscription WHERE id = ?::uuid")
                .param(subscription)
                .query(Boolean.class)
                .single();
    }

    @Test
    void aReceiverThatFailsTheFirstAttemptsGetsEverythingInOrderOnRetry() {
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(request -> calls.incrementAndGet() <= 2 ? 503 : 204);
        subscribe("{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"" + counter + "\"}");
        events.increment(counter, 1);
        events.increment(counter, 1);
        events.increment(counter, 1);

        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 3);

        assertThat(receiver.accepted())
                .extracting(r -> data(r).get("version").asLong())
                .containsExactly(1L, 2L, 3L);
        assertThat(receiver.all()).hasSize(5);
        assertThat(receiver.all().subList(0, 3))
                .extracting(r -> data(r).get("version").asLong())
                .containsOnly(1L);
    }

    @Test
    void aDeliveryThatFailsEveryAttemptBecomesADeadLetterAndIsRedeliveredInOrder() {
        receiver.answer(request -> 500);
        String id = json(subscribe("{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"" + counter + "\"}"))
                .get("id")
                .asText();
        events.increment(counter, 1);
        events.increment(counter, 1);
        events.increment(counter, 1);

        await().atMost(PATIENCE)
                .until(() -> json(http.get("/api/subscriptions/" + id + "/dead-letters"))
                                .size()
                        == 1);
        JsonNode dead =
                json(http.get("/api/subscriptions/" + id + "/dead-letters")).get(0);
        assertThat(dead.get("version").asLong()).isEqualTo(1);
        assertThat(dead.get("attempts").asInt()).isEqualTo(3);
        assertThat(dead.get("lastError").asText()).contains("500");
        // the dead letter is the event the attempts carried, its time as stored, and when it was last tried
        JsonNode attempted = data(receiver.all().get(0));
        assertThat(dead.get("eventId").asText())
                .isEqualTo(attempted.get("eventId").asText());
        assertThat(Instant.parse(dead.get("timestamp").asText()))
                .isEqualTo(Instant.parse(attempted.get("timestamp").asText()));
        assertThat(Instant.parse(dead.get("lastAttemptAt").asText()))
                .isAfterOrEqualTo(Instant.parse(dead.get("timestamp").asText()));
        String metrics = Http.querySide("http://localhost:" + port, "X-Api-Key", ADMIN_KEY)
                .get("/actuator/prometheus")
                .body();
        // the metrics count every test's deliveries: at least this one's
        assertThat(metrics).containsPattern("(?m)^counter_webhooks_dead_letters\\{[^}]*} [1-9]");
        assertThat(metrics)
                .containsPattern("(?m)^counter_webhooks_delivery_latency_seconds_count\\{[^}]*} ([3-9]|\\d\\d+)");
        assertThat(receiver.all())
                .hasSize(3)
                .allMatch(r -> data(r).get("version").asLong() == 1);

        receiver.answer(request -> 204);
        assertThat(http.post("/api/subscriptions/" + id + "/dead-letters/redeliver", null, null)
                        .status())
                .isEqualTo(202);

        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 3);
        assertThat(receiver.accepted())
                .extracting(r -> data(r).get("version").asLong())
                .containsExactly(1L, 2L, 3L);
        assertThat(json(http.get("/api/subscriptions/" + id + "/dead-letters"))).isEmpty();
    }

    @Test
    void aSlowReceiverDoesNotDelayAnotherSubscription() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        try (WebhookReceiver slow = new WebhookReceiver()) {
            slow.answer(request -> {
                awaitQuietly(release);
                return 204;
            });
            String prefix = counter + "-";
            subscribe("{\"callbackUrl\":\"" + slow.url() + "\"}");
            subscribe("{\"callbackUrl\":\"" + receiver.url() + "\"}");
            for (int i = 0; i < 20; i++) {
                events.increment(prefix + (i % 5), 1);
            }

            await().atMost(PATIENCE)
                    .until(() -> receiver.accepted().stream()
                                    .filter(r -> r.body().contains(prefix))
                                    .count()
                            == 20);
            assertThat(slow.accepted()).noneMatch(r -> r.body().contains(prefix));

            release.countDown();
            await().atMost(PATIENCE)
                    .until(() -> slow.accepted().stream()
                                    .filter(r -> r.body().contains(prefix))
                                    .map(r -> data(r).get("eventId").asText())
                                    .distinct()
                                    .count()
                            == 20);
        }
    }

    @Test
    void aSlowReceiverGetsSeveralCountersAtOnceButEachCounterInOrderAndNeverMoreThanTheCap() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        receiver.answer(request -> {
            mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            sleepQuietly(100);
            inFlight.decrementAndGet();
            return 204;
        });
        String prefix = counter + "-";
        subscribe("{\"callbackUrl\":\"" + receiver.url() + "\"}");
        for (int i = 0; i < 40; i++) {
            events.increment(prefix + (i % 8), 1);
        }

        await().atMost(PATIENCE)
                .until(() -> receiver.accepted().stream()
                                .filter(r -> r.body().contains(prefix))
                                .count()
                        == 40);

        assertThat(mostAtOnce.get()).isBetween(2, 4);
        Map<String, List<Long>> versions = new TreeMap<>();
        receiver.accepted().stream()
                .filter(r -> r.body().contains(prefix))
                .forEach(r -> versions.computeIfAbsent(data(r).get("counterId").asText(), c -> new ArrayList<>())
                        .add(data(r).get("version").asLong()));
        assertThat(versions)
                .hasSize(8)
                .allSatisfy((id, delivered) -> assertThat(delivered).containsExactly(1L, 2L, 3L, 4L, 5L));
    }

    @Test
    void aSubscriptionDeletedWhileRetryingIsDeliveredNoMore() {
        receiver.answer(request -> 503);
        String id = json(subscribe("{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"" + counter + "\"}"))
                .get("id")
                .asText();
        events.increment(counter, 1);
        await().atMost(PATIENCE).until(() -> !receiver.all().isEmpty());

        assertThat(http.delete("/api/subscriptions/" + id).status()).isEqualTo(204);
        int attemptsAtDeletion = receiver.all().size();

        await().during(Duration.ofMillis(800))
                .atMost(Duration.ofSeconds(5))
                .until(() -> receiver.all().size() <= attemptsAtDeletion + 1);
        assertThat(http.get("/api/subscriptions/" + id + "/dead-letters").status())
                .isEqualTo(404);
    }

    @Test
    void theWebhookProcessorRefusesToReplay() {
        StreamingEventProcessor webhooks = processing
                .eventProcessor(NewEventsSignal.NAME, StreamingEventProcessor.class)
                .orElseThrow();

        assertThat(webhooks.supportsReset()).isFalse();
    }

    private Response subscribe(String body) {
        return http.post("/api/subscriptions", "application/json", body);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Appends an increment of {@code counterId}: its place taken now, committed on {@code commit}. */
    private CompletableFuture<Void> appendHeldOpenUntil(CountDownLatch commit, String counterId) {
        CountDownLatch appended = new CountDownLatch(1);
        CompletableFuture<Void> append = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
            events.increment(counterId, 1);
            appended.countDown();
            awaitQuietly(commit);
        }));
        awaitQuietly(appended);
        return append;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The counter event a delivery carries, inside its Standard Webhooks envelope. */
    private static JsonNode data(Received delivery) {
        return json(delivery.body()).get("data");
    }

    private static JsonNode json(Response response) {
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

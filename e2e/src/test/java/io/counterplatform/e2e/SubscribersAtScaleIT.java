package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One tenant's endpoints fail, another's is fine: both services as processes, the default webhook settings, many
 * subscriptions to every counter whose receivers fail, and one whose receiver answers at once, under full load
 * spread over 500 counters. The healthy subscriber gets every event, in order, within a second; what the failing
 * ones cost in storage stays a few rows each, however many events they miss.
 */
class SubscribersAtScaleIT {

    /** Load before the measurement: the services' code compiled, every failing subscription failing. */
    private static final Duration WARM_UP = Duration.ofSeconds(15);

    private static final Duration LOAD = Duration.ofSeconds(20);
    private static final List<String> TABLE = new ArrayList<>();

    @AfterAll
    static void printTable() {
        TABLE.forEach(System.out::println);
    }

    /** 79 receivers answer {@code 500} at once, 20 never answer at all (each attempt runs into its deadline). */
    @Test
    void aHealthySubscriberKeepsUpWhileNinetyNineOthersFailOrHang() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        measure(
                "79 receivers answer 500, 20 never answer",
                99,
                () -> calls.incrementAndGet() % 5 == 0
                        ? delivery -> {
                            try {
                                Thread.sleep(Duration.ofMinutes(5).toMillis()); // past every deadline; ended at close
                            } catch (InterruptedException closed) {
                                Thread.currentThread().interrupt();
                            }
                            return 204;
                        }
                        : delivery -> 500);
    }

    /** {@code failing}: how each failing receiver answers, one behaviour per receiver. */
    private static void measure(
            String scenario, int failingCount, Supplier<Function<WebhookReceiver.Received, Integer>> failing)
            throws Exception {
        List<WebhookReceiver> failingReceivers = new ArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        Queue<Long> lagMillis = new ConcurrentLinkedQueue<>();
        Instant[] measuredFrom = {Instant.MAX};
        try (Platform platform = new Platform().start();
                WebhookReceiver healthy = new WebhookReceiver()) {
            healthy.answer(delivery -> {
                Instant occurred = Instant.parse(delivery.field("timestamp"));
                if (occurred.isAfter(measuredFrom[0])) {
                    lagMillis.add(Duration.between(occurred, Instant.now()).toMillis());
                }
                return 204;
            });
            for (int i = 0; i < failingCount; i++) {
                WebhookReceiver down = new WebhookReceiver();
                Function<WebhookReceiver.Received, Integer> answer = failing.get();
                down.answer(delivery -> {
                    attempts.incrementAndGet(); // as it arrives: a receiver that never answers records nothing
                    return answer.apply(delivery);
                });
                failingReceivers.add(down);
                Http.Response created = platform.queries()
                        .post(
                                "/api/subscriptions",
                                "application/json",
                                "{\"callbackUrl\":\"" + down.url() + "\"}",
                                "X-Api-Key",
                                Platform.ADMIN_KEY);
                assertThat(created.status()).as(created.body()).isEqualTo(201);
            }
            Webhooks webhooks = Webhooks.subscribe(platform, healthy);
            Load load = new Load(platform.commands(), 500);
            measuredFrom[0] = Instant.now().plus(WARM_UP);
            Instant end = measuredFrom[0].plus(LOAD);

            load.runUntil(4, () -> Instant.now().isAfter(end));

            assertThat(load.violations()).isEmpty();
            assertThat(webhooks.violations(platform)).isEmpty();
            long holds =
                    platform.tally("SELECT 'all', count(*) FROM webhook_hold").get("all");
            List<Long> lags = lagMillis.stream().sorted().toList();
            long p50 = lags.get(lags.size() / 2);
            long p99 = lags.get((int) (lags.size() * 0.99));
            TABLE.add(String.format(
                    "%s: %d increments in %d s (%d s warm-up first); healthy subscriber: %d deliveries measured, "
                            + "lag p50 %d ms, p99 %d ms; failing subscriptions: %d attempts, %d hold rows",
                    scenario,
                    load.sent(),
                    WARM_UP.plus(LOAD).toSeconds(),
                    WARM_UP.toSeconds(),
                    lags.size(),
                    p50,
                    p99,
                    attempts.get(),
                    holds));
            assertThat(p99).as(TABLE.get(TABLE.size() - 1)).isLessThan(1_000);
            // at most a hold per failed round: a few per subscription, not one per event missed
            assertThat(holds).isLessThanOrEqualTo(failingCount * 20L);
        } finally {
            failingReceivers.forEach(WebhookReceiver::close);
        }
    }
}

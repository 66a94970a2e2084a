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
import org.junit.jupiter.api.Test;

/**
 * One tenant's endpoints are down, another's is fine: both services as processes, the default webhook settings,
 * 99 subscriptions to every counter whose receivers answer {@code 500} and one whose receiver answers at once, under
 * full load spread over 500 counters. The healthy subscriber gets every event, in order, within a second; what the
 * failing ones cost in storage stays a few rows each, however many events they miss.
 */
class SubscribersAtScaleIT {

    /** Load before the measurement: the services' code compiled, every failing subscription failing. */
    private static final Duration WARM_UP = Duration.ofSeconds(15);

    private static final Duration LOAD = Duration.ofSeconds(20);
    private static final int FAILING = 99;

    @Test
    void aHealthySubscriberKeepsUpWhileNinetyNineOthersFail() throws Exception {
        List<WebhookReceiver> failing = new ArrayList<>();
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
            for (int i = 0; i < FAILING; i++) {
                WebhookReceiver down = new WebhookReceiver();
                down.answer(delivery -> 500);
                failing.add(down);
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
            int failedAttempts =
                    failing.stream().mapToInt(down -> down.all().size()).sum();
            List<Long> lags = lagMillis.stream().sorted().toList();
            long p50 = lags.get(lags.size() / 2);
            long p99 = lags.get((int) (lags.size() * 0.99));
            System.out.printf(
                    "%n%d increments in %d s (%d s warm-up first); healthy subscriber: %d deliveries measured, lag p50 %d ms, "
                            + "p99 %d ms; "
                            + "%d failing subscriptions: %d attempts, %d hold rows%n",
                    load.sent(),
                    WARM_UP.plus(LOAD).toSeconds(),
                    WARM_UP.toSeconds(),
                    lags.size(),
                    p50,
                    p99,
                    FAILING,
                    failedAttempts,
                    holds);
            assertThat(p99).isLessThan(1_000);
            // at most a hold per failed round: a few per subscription, not one per event missed
            assertThat(holds).isLessThanOrEqualTo(FAILING * 20L);
        } finally {
            failing.forEach(WebhookReceiver::close);
        }
    }
}

package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.WebhookReceiver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** The subscriptions of one key stay within their cap when the key creates many at once. */
@IntegrationTest
@TestPropertySource(
        properties = {
            "counter.webhooks.allow-private-targets=true",
            "counter.webhooks.max-subscriptions-per-key=" + SubscriptionCapIT.CAP,
            "counter.security.client-keys.eager=eager-key"
        })
class SubscriptionCapIT {

    static final int CAP = 5;
    private static final int AT_ONCE = 24;

    private final WebhookReceiver receiver = new WebhookReceiver();
    private final ExecutorService clients = Executors.newFixedThreadPool(AT_ONCE);

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @AfterEach
    void close() {
        clients.shutdownNow();
        receiver.close();
    }

    @Test
    void manyCreatedAtOnceStopAtTheCap() throws Exception {
        Http eager = Http.querySide("http://localhost:" + port, "X-Api-Key", "eager-key");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> created = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            created.add(clients.submit(() -> {
                start.await();
                return eager.post(
                                "/api/subscriptions",
                                "application/json",
                                "{\"callbackUrl\":\"" + receiver.url() + "\"}")
                        .status();
            }));
        }
        start.countDown();

        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> status : created) {
            statuses.add(status.get(30, TimeUnit.SECONDS));
        }

        // the rest are refused: over the cap (429), or while every callback lookup thread is busy (503)
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(CAP);
        assertThat(statuses).filteredOn(status -> status != 201).allMatch(status -> status == 429 || status == 503);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM webhook_subscription WHERE owner = 'eager'", Integer.class))
                .isEqualTo(CAP);
    }
}

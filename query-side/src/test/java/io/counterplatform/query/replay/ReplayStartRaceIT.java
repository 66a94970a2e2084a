package io.counterplatform.query.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Counters created (one event each) while a rebuild starts are all in the rebuilt model. The start reads the
 * head of the stream, its target, and marks the rebuild as running; a live batch that looked for a running
 * rebuild between the two would write events past the target to the live table only, and the rebuilt model
 * would miss them. Creating the shadow table is slowed down here, so that window is wide open.
 */
@IntegrationTest
@Import({EventStoreWriter.class, ReplayStartRaceIT.SlowShadow.class})
@TestPropertySource(properties = "counter.admin.api-key=test-key")
class ReplayStartRaceIT {

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void countersCreatedWhileAReplayStartsAreAllInTheReplayedModel() throws Exception {
        String prefix = "race-" + UUID.randomUUID() + "-";
        Http http = Http.querySide("http://localhost:" + port);
        AtomicBoolean creating = new AtomicBoolean(true);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; creating.get(); i++) {
                events.increment(prefix + i, 1);
            }
        });
        try {
            await().until(() -> count(prefix) > 50);
            assertThat(http.post("/api/admin/projections/counter-summary/replay", null, null, "X-Api-Key", "test-key")
                            .status())
                    .isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> !rebuilding());
        } finally {
            creating.set(false);
            writer.join();
        }

        long written = events.expected().keySet().stream()
                .filter(id -> id.startsWith(prefix))
                .count();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(count(prefix)).isEqualTo(written));
    }

    private long count(String prefix) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM counter_summary WHERE counter_id LIKE ?", Long.class, prefix + "%");
    }

    private boolean rebuilding() {
        return "RUNNING"
                .equals(jdbc.queryForObject(
                        "SELECT status FROM projection_replay WHERE name = 'counter-summary'", String.class));
    }

    /** Every rebuildable projection takes half a second to create its shadow table. */
    @TestConfiguration
    static class SlowShadow {

        @Bean
        static BeanPostProcessor slowShadow() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof ReplayableProjection projection ? new Slow(projection) : bean;
                }
            };
        }
    }

    private record Slow(ReplayableProjection delegate) implements ReplayableProjection {

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void createShadow() {
            delegate.createShadow();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void applyToShadow(List<? extends EventMessage<?>> batch) {
            delegate.applyToShadow(batch);
        }

        @Override
        public void switchToShadow() {
            delegate.switchToShadow();
        }
    }
}

package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class WebhookSettingsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bound.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WebhookSettings.class)
    static class Bound {}

    @Test
    void retriesDoubleUpToTheCapAndTheLastAttemptHasNone() {
        context.withPropertyValues(
                        "counter.webhooks.initial-backoff=1s",
                        "counter.webhooks.max-backoff=5s",
                        "counter.webhooks.max-attempts=6")
                .run(started -> {
                    WebhookSettings settings = started.getBean(WebhookSettings.class);
                    assertThat(IntStream.rangeClosed(1, 6).mapToObj(settings::backoffAfter))
                            .containsExactly(
                                    Duration.ofSeconds(1),
                                    Duration.ofSeconds(2),
                                    Duration.ofSeconds(4),
                                    Duration.ofSeconds(5),
                                    Duration.ofSeconds(5),
                                    null);
                    assertThat(IntStream.rangeClosed(1, 5).mapToObj(settings::roundBackoff))
                            .containsExactly(
                                    Duration.ofSeconds(1),
                                    Duration.ofSeconds(2),
                                    Duration.ofSeconds(4),
                                    Duration.ofSeconds(5),
                                    Duration.ofSeconds(5));
                    assertThat(settings.roundBackoff(1000)).isEqualTo(Duration.ofSeconds(5));
                    assertThat(settings.lease(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(16));
                });
    }

    @Test
    void longWaitsKeepDoublingToTheCapWithoutOverflowing() {
        context.withPropertyValues(
                        "counter.webhooks.initial-backoff=1ms",
                        "counter.webhooks.max-backoff=3650d",
                        "counter.webhooks.max-attempts=100")
                .run(started -> {
                    WebhookSettings settings = started.getBean(WebhookSettings.class);
                    assertThat(settings.backoffAfter(32)).isEqualTo(Duration.ofMillis(1L << 31));
                    assertThat(settings.backoffAfter(99)).isEqualTo(Duration.ofDays(3650));
                });
        context.withPropertyValues(
                        "counter.webhooks.initial-backoff=365d",
                        "counter.webhooks.max-backoff=3650d",
                        "counter.webhooks.max-attempts=100")
                .run(started -> {
                    WebhookSettings settings = started.getBean(WebhookSettings.class);
                    assertThat(settings.backoffAfter(2)).isEqualTo(Duration.ofDays(730));
                    assertThat(IntStream.range(5, 100).mapToObj(settings::backoffAfter))
                            .containsOnly(Duration.ofDays(3650));
                });
    }

    @Test
    void theDefaultsAreThoseTheReadmeLists() {
        context.run(started -> assertThat(started.getBean(WebhookSettings.class))
                .isEqualTo(new WebhookSettings(
                        false,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        8,
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(5),
                        16,
                        4,
                        4,
                        Duration.ofHours(24),
                        1000,
                        100,
                        Duration.ofMillis(250))));
    }

    @Test
    void contradictoryOrOutOfRangeSettingsStopTheStart() {
        context.withPropertyValues("counter.webhooks.initial-backoff=10m")
                .run(started -> assertThat(started)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("initial-backoff must not exceed max-backoff"));
        context.withPropertyValues("counter.webhooks.workers=0")
                .run(started -> assertThat(started).getFailure().hasStackTraceContaining("workers"));
        context.withPropertyValues("counter.webhooks.timeout=0s")
                .run(started -> assertThat(started).getFailure().hasStackTraceContaining("timeout"));
    }
}

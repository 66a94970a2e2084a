package io.counterplatform.query.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ReplaySettingsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bound.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ReplaySettings.class)
    static class Bound {}

    @Test
    void theDefaultsAreThoseTheReadmeLists() {
        context.run(started -> assertThat(started.getBean(ReplaySettings.class))
                .isEqualTo(new ReplaySettings(500, Duration.ofSeconds(15), 0, Duration.ofSeconds(2))));
    }

    @Test
    void aSwitchThatWouldWaitPastTheLeaseStopsTheStart() {
        context.withPropertyValues("counter.replay.lease=2s", "counter.replay.switch-lock-timeout=2s")
                .run(started -> assertThat(started)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("switch-lock-timeout must be shorter than the lease"));
        context.withPropertyValues("counter.replay.batch-size=0")
                .run(started -> assertThat(started).getFailure().hasStackTraceContaining("batchSize"));
    }
}

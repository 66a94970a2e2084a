package io.counterplatform.query.config;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code counter.event-store} (JDBC mode).
 *
 * @param fetchDelay how often to look for events appended by the command side when there were none
 */
@ConfigurationProperties("counter.event-store")
@Validated
record EventStoreSettings(
        @DefaultValue("10ms") @DurationMin(millis = 1) Duration fetchDelay) {}

package io.counterplatform.query.health;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code counter.health}.
 *
 * @param unclaimedSegmentAfter how long a processor's segment may go without an owner before readiness is DOWN
 */
@ConfigurationProperties("counter.health")
@Validated
record HealthSettings(
        @DefaultValue("30s") @DurationMin(seconds = 1) Duration unclaimedSegmentAfter) {}

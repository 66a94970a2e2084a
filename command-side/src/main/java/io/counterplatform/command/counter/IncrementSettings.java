package io.counterplatform.command.counter;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code counter.command-timeout}: how long a request waits for its command before it answers {@code 503}.
 *
 * @param commandTimeout the wait
 */
@ConfigurationProperties("counter")
@Validated
record IncrementSettings(
        @DefaultValue("10s") @DurationMin(millis = 1) Duration commandTimeout) {}

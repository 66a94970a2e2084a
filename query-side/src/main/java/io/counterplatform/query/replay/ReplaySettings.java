package io.counterplatform.query.replay;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code counter.replay}: how rebuilds run.
 *
 * @param batchSize events per transaction
 * @param lease how long an instance's claim on a rebuild lasts without renewal; past it another instance takes
 *     the rebuild over from its checkpoint
 * @param maxEventsPerSecond an optional ceiling on the rate, to spare a busy database (0: none)
 * @param switchLockTimeout how long the switch-over waits for the read model's readers before it gives way and
 *     tries again; shorter than the lease, so that the waiting owner renews its claim in time
 */
@ConfigurationProperties("counter.replay")
@Validated
record ReplaySettings(
        @DefaultValue("500") @Min(1) int batchSize,
        @DefaultValue("15s") @DurationMin(millis = 300) Duration lease,
        @DefaultValue("0") @Min(0) int maxEventsPerSecond,
        @DefaultValue("2s") @DurationMin(millis = 1) Duration switchLockTimeout) {

    ReplaySettings {
        if (switchLockTimeout.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("counter.replay.switch-lock-timeout must be shorter than the lease");
        }
    }

    /** How often an owner renews its lease: three times per lease, so one late renewal loses nothing. */
    Duration renewEvery() {
        return lease.dividedBy(3);
    }
}

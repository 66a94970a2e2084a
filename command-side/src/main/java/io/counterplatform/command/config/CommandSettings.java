package io.counterplatform.command.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code counter.*} of the command side.
 *
 * @param commandTimeout how long a request waits for its command before it answers {@code 503}, counted from its
 *     arrival; a command that waited this long for its turn is not handled any more
 * @param snapshotThreshold a snapshot every this many events keeps loading a long-lived counter as fast as a new one
 * @param commandRetries how often a batch whose append lost a race (a stale cache on another instance) is handled
 *     again
 * @param cache counters kept in memory ({@code max-counters}); the least recently used beyond it are loaded again
 * @param groupCommit at most {@code max-batch} waiting commands share one transaction (1: each commits alone); at
 *     most {@code max-queued} wait for their turn, and one more is refused at once ({@code 503})
 * @param idempotency a key is remembered for {@code retention} after its first use, whatever the counter's rate
 * @param cors browsers on these origins ({@code allowed-origins}: the dashboard) may send increments
 */
@ConfigurationProperties("counter")
@Validated
public record CommandSettings(
        @DefaultValue("10s") @DurationMin(millis = 1) Duration commandTimeout,
        @DefaultValue("1000") @Min(1) int snapshotThreshold,
        @DefaultValue("5") @Min(0) int commandRetries,
        @DefaultValue @Valid Cache cache,
        @DefaultValue @Valid GroupCommit groupCommit,
        @DefaultValue @Valid Idempotency idempotency,
        @DefaultValue Cors cors) {

    public record Cache(@DefaultValue("100000") @Min(1) long maxCounters) {}

    public record GroupCommit(
            @DefaultValue("64") @Min(1) int maxBatch,
            @DefaultValue("128") @Min(1) int maxQueued) {}

    public record Idempotency(
            @DefaultValue("24h") @DurationMin(seconds = 1) Duration retention) {}

    public record Cors(
            @DefaultValue({"http://localhost:8081", "http://127.0.0.1:8081"})
            List<String> allowedOrigins) {}
}

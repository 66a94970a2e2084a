package io.counterplatform.command.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code counter.*} of the command side.
 *
 * @param snapshotThreshold a snapshot every this many events keeps loading a long-lived counter as fast as a new one
 * @param commandRetries how often a command whose append lost a race (a stale cache on another instance) is
 *     retried
 * @param cache counters kept in memory ({@code max-counters}); the least recently used beyond it are loaded again
 * @param groupCommit at most {@code max-batch} concurrent commands share one transaction (1: each commits alone)
 * @param cors browsers on these origins ({@code allowed-origins}: the dashboard) may send increments
 */
@ConfigurationProperties("counter")
@Validated
record CommandSettings(
        @DefaultValue("1000") @Min(1) int snapshotThreshold,
        @DefaultValue("5") @Min(0) int commandRetries,
        @DefaultValue @Valid Cache cache,
        @DefaultValue @Valid GroupCommit groupCommit,
        @DefaultValue Cors cors) {

    record Cache(@DefaultValue("100000") @Min(1) long maxCounters) {}

    record GroupCommit(@DefaultValue("64") @Min(1) int maxBatch) {}

    record Cors(
            @DefaultValue({"http://localhost:8081", "http://127.0.0.1:8081"})
            List<String> allowedOrigins) {}
}

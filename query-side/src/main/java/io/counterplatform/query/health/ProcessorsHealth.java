package io.counterplatform.query.health;

import io.counterplatform.query.readmodel.ReadModels;
import io.counterplatform.query.readmodel.SharedTokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.springboot.TokenStoreProperties;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/**
 * The streaming processors this instance runs, as readiness sees them: DOWN while one is in error here, or while
 * one of its segments has been claimed by no instance for longer than {@code counter.health.unclaimed-segment-after}
 * (every instance may be down or stuck: the read model falls behind): released that long ago, or held by an owner
 * that has not renewed its claim for that long past Axon's claim timeout (it died).
 */
@Component("processorsHealthIndicator") // health name: processors
class ProcessorsHealth implements HealthIndicator {

    private final EventProcessingConfiguration processing;
    private final ReadModels readModels;
    private final SharedTokenStore tokens;
    private final HealthSettings settings;
    private final Duration claimTimeout;

    ProcessorsHealth(
            EventProcessingConfiguration processing,
            ReadModels readModels,
            SharedTokenStore tokens,
            HealthSettings settings,
            TokenStoreProperties tokenStore) {
        this.processing = processing;
        this.readModels = readModels;
        this.tokens = tokens;
        this.settings = settings;
        this.claimTimeout = tokenStore.getClaimTimeout();
    }

    @Override
    public Health health() {
        Map<String, String> states = new TreeMap<>();
        boolean up = true;
        Stream<StreamingEventProcessor> configured = processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance)
                .map(StreamingEventProcessor.class::cast);
        for (StreamingEventProcessor processor :
                Stream.concat(configured, readModels.liveProcessors().stream()).toList()) {
            List<Integer> unclaimed = unclaimedSegments(processor.getName());
            String state = processor.isError()
                    ? "error"
                    : unclaimed.isEmpty() ? "running" : "segments " + unclaimed + " unclaimed";
            up &= state.equals("running");
            states.put(processor.getName(), state);
        }
        return (up ? Health.up() : Health.down()).withDetails(states).build();
    }

    private List<Integer> unclaimedSegments(String processor) {
        Instant before = Instant.now().minus(settings.unclaimedSegmentAfter());
        return tokens.segments(processor).stream()
                .filter(segment -> segment.claimed() == null
                        || segment.claimed().isBefore(segment.owner() == null ? before : before.minus(claimTimeout)))
                .map(SharedTokenStore.Segment::segment)
                .sorted()
                .toList();
    }

    /**
     * {@code counter.health}.
     *
     * @param unclaimedSegmentAfter how long a processor's segment may go without an owner before readiness is DOWN
     */
    @ConfigurationProperties("counter.health")
    @Validated
    record HealthSettings(
            @DefaultValue("30s") @DurationMin(seconds = 1) Duration unclaimedSegmentAfter) {}
}

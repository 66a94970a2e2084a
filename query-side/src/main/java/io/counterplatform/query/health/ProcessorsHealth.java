package io.counterplatform.query.health;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The streaming processors, as readiness sees them: DOWN while one is in error on this instance, or while one of
 * its segments has been claimed by no instance for longer than {@code counter.health.unclaimed-segment-after}
 * (every instance may be down or stuck: the read model falls behind). Segments move between instances all the
 * time; only a long gap counts.
 */
@Component("processorsHealthIndicator") // health name: processors
class ProcessorsHealth implements HealthIndicator {

    private final EventProcessingConfiguration processing;
    private final JdbcClient jdbc;
    private final HealthSettings settings;

    ProcessorsHealth(EventProcessingConfiguration processing, JdbcClient jdbc, HealthSettings settings) {
        this.processing = processing;
        this.jdbc = jdbc;
        this.settings = settings;
    }

    @Override
    public Health health() {
        Map<String, String> states = new TreeMap<>();
        boolean up = true;
        for (StreamingEventProcessor processor : processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance)
                .map(StreamingEventProcessor.class::cast)
                .toList()) {
            List<Integer> unclaimed = unclaimedSegments(processor.getName());
            String state = processor.isError()
                    ? "error"
                    : unclaimed.isEmpty() ? "running" : "segments " + unclaimed + " unclaimed";
            up &= state.equals("running");
            states.put(processor.getName(), state);
        }
        return (up ? Health.up() : Health.down()).withDetails(states).build();
    }

    /** Segments without an owner since before the threshold, by the token store's own record of the last claim. */
    private List<Integer> unclaimedSegments(String processor) {
        Instant before = Instant.now().minus(settings.unclaimedSegmentAfter());
        return jdbc
                .sql("SELECT segment, timestamp FROM TokenEntry WHERE processorName = ? AND owner IS NULL")
                .param(processor)
                .query((row, n) -> Map.entry(row.getInt(1), String.valueOf(row.getString(2))))
                .list()
                .stream()
                .filter(segment -> lastChanged(segment.getValue()).isBefore(before))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    private static Instant lastChanged(String timestamp) {
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException unknown) {
            return Instant.EPOCH;
        }
    }
}

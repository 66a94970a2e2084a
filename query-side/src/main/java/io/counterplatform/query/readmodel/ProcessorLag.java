package io.counterplatform.query.readmodel;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * How far each processor is behind the head of the stream, read from the token store rather than from this
 * instance, so that segments claimed by other instances count too (reading never claims a token): in events, and
 * in time, as the age of the oldest event its slowest segment has not handled yet.
 */
@Component
class ProcessorLag {

    private final SharedTokenStore tokens;
    private final EventStore eventStore;
    private final Map<String, Reading> readings = new ConcurrentHashMap<>();

    ProcessorLag(SharedTokenStore tokens, EventStore eventStore) {
        this.tokens = tokens;
        this.eventStore = eventStore;
    }

    /**
     * Where a processor's slowest segment stands (null before any segment has stored a position), how many events
     * were stored after it, and how long the oldest of them has waited (0 if none waits, null if the store does not
     * say within a second).
     */
    record Lag(Long position, long events, Long millis) {}

    /** The position of the newest event in the store (0 when it is empty). */
    long head() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? 0 : head.position().orElse(0);
    }

    /** The processor's lag behind the stream's {@code head}, as just read, from one reading of its tokens. */
    Lag of(String processor, long head) {
        Optional<TrackingToken> slowest = slowest(processor);
        if (slowest.isEmpty()) {
            return new Lag(null, 0, 0L);
        }
        long position = slowest.get().position().orElseThrow();
        return new Lag(
                position, Math.max(0, head - position), head <= position ? 0L : millis(processor, slowest.get()));
    }

    /**
     * Read at most once a second per processor (it opens a stream, which with Axon Server starts a transfer),
     * however often the metrics and the dashboard ask.
     */
    private Long millis(String processor, TrackingToken slowest) {
        Reading last = readings.get(processor);
        if (last != null && last.at().isAfter(Instant.now().minusSeconds(1))) {
            return last.millis();
        }
        Long millis = oldestWaiting(slowest);
        readings.put(processor, new Reading(Instant.now(), millis));
        return millis;
    }

    private Long oldestWaiting(TrackingToken slowest) {
        // a stream starts at a store's own kind of token, not at a replay's or a merge's wrapper of one
        try (BlockingStream<TrackedEventMessage<?>> waiting =
                eventStore.openStream(WrappedToken.unwrapLowerBound(slowest))) {
            return waiting.hasNextAvailable(1, TimeUnit.SECONDS)
                    ? Math.max(
                            0,
                            Duration.between(waiting.nextAvailable().getTimestamp(), Instant.now())
                                    .toMillis())
                    : null;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException unreachable) {
            return null;
        }
    }

    private record Reading(Instant at, Long millis) {}

    private Optional<TrackingToken> slowest(String processor) {
        // a segment that has not stored a position yet (it started at the tail of an empty store) does not count
        return tokens.segments(processor).stream()
                .map(SharedTokenStore.Segment::token)
                .filter(token -> token != null && token.position().isPresent())
                .min(Comparator.comparingLong(token -> token.position().orElseThrow()));
    }
}

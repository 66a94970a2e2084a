package io.counterplatform.api.counter;

import java.time.Instant;

/** One stored increment of a counter, as the event store holds it. */
public record CounterEventView(long version, long amount, long value, Instant timestamp, String eventId) {

    /** The counter's state right after this event. */
    public CounterView toCounterView(String counterId) {
        return new CounterView(counterId, value, version, timestamp);
    }
}

package io.counterplatform.api.counter;

import java.time.Instant;
import java.util.List;

/** A counter over time: its buckets in time order, each with increments; a bucket without any is left out. */
public record CounterSeries(String counterId, String interval, List<Bucket> items) {

    /** The increments of one minute, hour or day, and their summed amount. */
    public record Bucket(Instant start, long increments, long amount) {}
}

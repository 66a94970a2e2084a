package io.counterplatform.api.counter;

import java.time.Instant;

/**
 * Question: a counter's increments and their summed amount per {@code interval} ({@code minute}, {@code hour} or
 * {@code day}, UTC), for the buckets that start from {@code from} (rounded down to its bucket) until before
 * {@code to}. Answered with a {@link CounterSeries}.
 */
public record FindCounterSeries(String counterId, String interval, Instant from, Instant to) {}

package io.counterplatform.api.counter;

/** Question: one page of all counters, sorted by id. Answered with a {@link CounterPage}. */
public record FindCounters(int page, int size) {}

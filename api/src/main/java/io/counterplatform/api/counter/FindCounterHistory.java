package io.counterplatform.api.counter;

/**
 * Question: up to {@code limit} events of a counter from {@code fromVersion} on, from the event store. Answered
 * with a {@link CounterHistoryPage}, or nothing if the counter has no event at all.
 */
public record FindCounterHistory(String counterId, long fromVersion, int limit) {}

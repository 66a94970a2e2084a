package io.counterplatform.api.counter;

import java.time.Instant;

/** Question: the counter as it stood at {@code instant}, from the event store. Answered with a {@link CounterView}. */
public record FindCounterAt(String counterId, Instant instant) {}

package io.counterplatform.api.counter;

/** Question: what is the current state of this counter? Answered with a {@link CounterView}. */
public record FindCounter(String counterId) {}

package io.counterplatform.api.counter;

import java.time.Instant;

/** A counter as the read model knows it. */
public record CounterView(String counterId, long value, long version, Instant updatedAt) {}

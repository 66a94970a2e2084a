package io.counterplatform.api.counter;

import org.axonframework.serialization.Revision;

/** Fact: the counter rose by {@code amount} to {@code value}. */
@Revision("1")
public record CounterIncremented(String counterId, long amount, long value, String idempotencyKey) {}

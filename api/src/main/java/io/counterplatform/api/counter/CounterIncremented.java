package io.counterplatform.api.counter;

import org.axonframework.serialization.Revision;

/**
 * Fact: the counter rose by {@code amount} to {@code value}, its {@code version}-th event.
 *
 * <p>Revision 2 added {@code version}; revision 1 events are upcast when read (see CounterIncrementedUpcaster).
 */
@Revision("2")
public record CounterIncremented(String counterId, long amount, long value, String idempotencyKey, long version) {}

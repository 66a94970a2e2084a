package io.counterplatform.api.counter;

/** The answer to an {@link IncrementCounter}: the state it produced, and whether it was a retry. */
public record IncrementResult(String counterId, long value, long version, boolean replayed) {}

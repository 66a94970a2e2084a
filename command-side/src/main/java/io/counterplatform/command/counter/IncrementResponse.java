package io.counterplatform.command.counter;

/** The counter after an accepted increment. */
record IncrementResponse(String counterId, long value, long version) {}

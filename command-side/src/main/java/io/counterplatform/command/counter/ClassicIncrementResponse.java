package io.counterplatform.command.counter;

/** The answer of the classic single-counter {@code POST /increment}. */
record ClassicIncrementResponse(long count) {}

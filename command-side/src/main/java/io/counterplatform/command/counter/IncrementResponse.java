package io.counterplatform.command.counter;

import io.counterplatform.api.counter.IncrementResult;

/** The counter after an accepted increment. */
record IncrementResponse(String counterId, long value, long version) {

    static IncrementResponse of(IncrementResult result) {
        return new IncrementResponse(result.counterId(), result.value(), result.version());
    }
}

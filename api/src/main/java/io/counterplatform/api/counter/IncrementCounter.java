package io.counterplatform.api.counter;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Intent: raise the counter by {@code amount}, at most once per {@code idempotencyKey}, and only if the
 * counter is still at {@code expectedVersion} when one is given.
 */
public record IncrementCounter(
        @TargetAggregateIdentifier String counterId, long amount, String idempotencyKey, Long expectedVersion) {

    public IncrementCounter {
        CounterRules.requireValidId(counterId);
        CounterRules.requireValidAmount(amount);
        CounterRules.requireValidIdempotencyKey(idempotencyKey);
        CounterRules.requireValidExpectedVersion(expectedVersion);
    }
}

package io.counterplatform.command.counter;

import io.counterplatform.api.counter.CounterIncremented;
import java.util.Optional;

/**
 * Where a counter's idempotency keys are remembered, for {@code counter.idempotency.retention} after their first use
 * and outside the counter's state, so that neither the counter nor its snapshot grows with its rate.
 */
interface IdempotencyKeys {

    /**
     * The stored increment this key was first used for on this counter, if any within the retention. {@code
     * version} is the counter's version as its command sees it (the unit of work holds the counter's lock).
     */
    Optional<CounterIncremented> firstUse(String counterId, String idempotencyKey, long version);

    /**
     * Remembers that the key's increment is about to be appended, before it is: an event never carries a key that
     * its record does not name.
     */
    void reserve(CounterIncremented increment);
}

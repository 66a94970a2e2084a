package io.counterplatform.api.counter;

/**
 * Update to a subscription of all counters ({@link FindCountersAfter}): a counter's new state and the id of the
 * database transaction that stored it in the read model.
 */
public record CounterCommitted(CounterView state, long transaction) {}

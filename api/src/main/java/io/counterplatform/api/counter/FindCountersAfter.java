package io.counterplatform.api.counter;

/**
 * Question: the first {@code limit} counters whose id sorts after {@code afterCounterId} (null: from the first), by
 * id. Answered with a {@link CounterSlice}; each slice starts where the last ended (keyset paging: no count, no
 * offset, the same cost for the thousandth slice as for the first).
 */
public record FindCountersAfter(String afterCounterId, int limit) {}

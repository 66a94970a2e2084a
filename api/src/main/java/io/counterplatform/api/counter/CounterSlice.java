package io.counterplatform.api.counter;

import java.util.List;

/**
 * Counters in id order; fewer than asked for: the last slice. {@code snapshot}: the database snapshot they were read
 * in ({@code xmin:xmax:xip,...}), which tells a stream whether a {@link CounterCommitted} is already in the slice.
 */
public record CounterSlice(List<CounterView> items, String snapshot) {}

package io.counterplatform.api.counter;

import java.util.List;

/** Counters in id order; fewer than asked for: the last slice. */
public record CounterSlice(List<CounterView> items) {}

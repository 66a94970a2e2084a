package io.counterplatform.api.counter;

import java.util.List;

/** One page of counters, sorted by id. */
public record CounterPage(List<CounterView> items, int page, int size, long totalItems) {}

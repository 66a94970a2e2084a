package io.counterplatform.api.counter;

import java.util.List;

/** A slice of a counter's history; {@code nextFromVersion} is null when nothing follows. */
public record CounterHistoryPage(String counterId, List<CounterEventView> items, Long nextFromVersion) {}

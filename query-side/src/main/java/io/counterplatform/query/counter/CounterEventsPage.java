package io.counterplatform.query.counter;

import java.util.List;

/** A slice of a counter's history; {@code nextFromVersion} is null when nothing follows. */
record CounterEventsPage(String counterId, List<CounterEventView> items, Long nextFromVersion) {}

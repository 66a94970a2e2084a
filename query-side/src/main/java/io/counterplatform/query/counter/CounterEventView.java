package io.counterplatform.query.counter;

import java.time.Instant;

/** One stored increment of a counter, as the event store holds it. */
record CounterEventView(long version, long amount, long value, Instant timestamp, String eventId) {}

package io.counterplatform.query.replay;

import java.time.Instant;

/** A running rebuild: how far (0..1), since when, how many events, and about how long until it takes over. */
record ReplayView(double progress, Instant startedAt, long processed, Long etaSeconds) {}

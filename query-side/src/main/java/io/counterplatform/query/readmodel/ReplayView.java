package io.counterplatform.query.readmodel;

import java.time.Instant;

/** A rebuild under way: how far (0..1), since when, and about how long until it takes over. */
record ReplayView(double progress, Instant startedAt, Long etaSeconds) {}

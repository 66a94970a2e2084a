package io.counterplatform.query.readmodel;

import java.time.Instant;

/**
 * One streaming processor as the admin API shows it: {@code lag} in events and {@code lagMillis} (how long the
 * oldest event it has not handled has waited); {@code replay} is null unless a replay runs.
 */
record ProjectionView(
        String name,
        Status status,
        Long position,
        Long head,
        Long lag,
        Long lagMillis,
        boolean replayable,
        Replay replay) {

    /** A rebuild under way: how far (0..1), since when, and about how long until it takes over. */
    record Replay(double progress, Instant startedAt, Long etaSeconds) {}

    enum Status {
        RUNNING,
        REPLAYING,
        STOPPED,
        ERROR
    }
}

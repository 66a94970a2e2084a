package io.counterplatform.query.replay;

import java.time.Instant;
import org.axonframework.eventhandling.TrackingToken;

/** A running rebuild as stored: how far it got and where it stops. */
record ReplayRecord(Instant startedAt, long targetPosition, long position, long processed, TrackingToken token) {

    /** How far a rebuild at {@code reached} is towards its target, from 0 to 1. */
    double progress(long reached) {
        return targetPosition <= 0 ? 1.0 : Math.min(1.0, (double) reached / targetPosition);
    }
}

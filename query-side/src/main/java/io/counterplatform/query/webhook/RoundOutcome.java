package io.counterplatform.query.webhook;

import java.util.Map;
import java.util.Set;
import org.axonframework.eventhandling.TrackingToken;

/**
 * What one delivery round did: where the cursor now stands, the holds it attempted (written whole), the holds the
 * cursor only passed (their {@code throughVersion} raised), the holds it cleared, how its attempts went, and
 * whether it read the stream up to the head, with nothing more to read.
 */
record RoundOutcome(
        TrackingToken cursor,
        Map<String, Hold> attempted,
        Map<String, Hold> passed,
        Set<String> cleared,
        int succeeded,
        int failed,
        String lastError,
        boolean caughtUp) {}

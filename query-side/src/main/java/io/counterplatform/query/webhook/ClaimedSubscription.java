package io.counterplatform.query.webhook;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.eventhandling.TrackingToken;

/**
 * A subscription claimed for one delivery round: where it sends, which counter it follows (null: all), the events
 * it skips (at or before {@code afterPosition}: stored before it was made; its cursor's gaps tell the later places),
 * where its cursor stands (null: at the stream's start), its health, how many batches of events the webhooks
 * processor had seen when it was claimed, and whether it had seen any since the subscription's last round.
 */
record ClaimedSubscription(
        UUID id,
        UUID claimId,
        Endpoint endpoint,
        String counterId,
        long afterPosition,
        TrackingToken cursor,
        Instant failingSince,
        int failedRounds,
        long batchesSeen,
        boolean batchesSinceLastRound) {

    boolean follows(String counter) {
        return counterId == null || counterId.equals(counter);
    }

    /** Whether its cursor is behind the stream's {@code head} (or at the stream's start). */
    boolean behind(long head) {
        return cursor == null || cursor.position().orElse(-1) < head;
    }

    /** Whether only the gaps its cursor passed may have events now: a batch was seen since its last round. */
    boolean gapsToRead(long head) {
        return !behind(head) && batchesSinceLastRound && DeliveryRound.hasGaps(cursor);
    }
}

package io.counterplatform.query.webhook;

import java.time.Duration;
import java.time.Instant;

/**
 * A counter whose delivery failed, for one subscription: {@code head} is its oldest undelivered event, and every
 * later one up to {@code throughVersion} (which the subscription's cursor has passed) waits behind it. A dead hold
 * has had its last attempt and waits for a redelivery.
 */
record Hold(
        WebhookEvent head,
        long throughVersion,
        int attempts,
        Instant nextAttemptAt,
        Instant lastAttemptAt,
        String lastError,
        boolean dead) {

    /** A hold on the event whose first attempt just failed; {@code retryIn} null: that was its last attempt. */
    static Hold after(WebhookEvent failed, String error, Duration retryIn) {
        return failed(failed, failed.version(), 1, error, retryIn);
    }

    /** The event was not tried yet (the round's time ran out before it): due at once, through {@code through}. */
    static Hold waiting(WebhookEvent next, long through) {
        return new Hold(next, through, 0, Instant.now(), null, null, false);
    }

    boolean due(Instant now) {
        return !dead && !nextAttemptAt.isAfter(now);
    }

    /** The cursor passed a later event of the counter: it waits here too. */
    Hold through(long version) {
        return new Hold(
                head, Math.max(throughVersion, version), attempts, nextAttemptAt, lastAttemptAt, lastError, dead);
    }

    /** The head failed again. */
    Hold failedAgain(String error, Duration retryIn) {
        return failed(head, throughVersion, attempts + 1, error, retryIn);
    }

    /** The head and the events after it went through up to {@code next}, which is due at once (the round ended). */
    Hold deliveredUpTo(WebhookEvent next) {
        return new Hold(next, throughVersion, 0, Instant.now(), lastAttemptAt, lastError, false);
    }

    private static Hold failed(WebhookEvent head, long through, int attempts, String error, Duration retryIn) {
        Instant now = Instant.now();
        return new Hold(
                head, through, attempts, retryIn == null ? now : now.plus(retryIn), now, error, retryIn == null);
    }
}

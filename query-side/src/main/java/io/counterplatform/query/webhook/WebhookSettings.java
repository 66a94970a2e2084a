package io.counterplatform.query.webhook;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code counter.webhooks}: where deliveries may go, how they are sent and retried, and how many a key may hold.
 *
 * @param allowPrivateTargets loopback and private callback addresses allowed (development only)
 * @param resolveTimeout how long resolving a callback host may take
 * @param timeout how long one delivery may take; its claim lasts three times as long
 * @param maxAttempts attempts before a delivery becomes a dead letter
 * @param initialBackoff the wait after the first failed attempt; each next one doubles, up to {@code maxBackoff}
 * @param workers delivery rounds of healthy subscriptions in flight on this instance (one per subscription)
 * @param maxInFlightPerSubscription deliveries in flight at once for one healthy subscription (each counter's in
 *     order)
 * @param failingWorkers delivery rounds of failing subscriptions in flight on this instance
 * @param disableAfter how long every attempt of a subscription may fail before it is disabled
 * @param maxHeldCounters counters a subscription may have on hold; past it, its cursor waits
 * @param maxSubscriptionsPerKey subscriptions one key may hold
 * @param pollInterval how often to look for due deliveries when nothing wakes the dispatcher
 */
@ConfigurationProperties("counter.webhooks")
@Validated
record WebhookSettings(
        @DefaultValue("false") boolean allowPrivateTargets,
        @DefaultValue("2s") @DurationMin(millis = 1) Duration resolveTimeout,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration timeout,
        @DefaultValue("8") @Min(1) int maxAttempts,
        @DefaultValue("1s") @DurationMin(millis = 1) Duration initialBackoff,
        @DefaultValue("5m") @DurationMin(millis = 1) Duration maxBackoff,
        @DefaultValue("16") @Min(1) int workers,
        @DefaultValue("4") @Min(1) int maxInFlightPerSubscription,
        @DefaultValue("4") @Min(1) int failingWorkers,
        @DefaultValue("24h") @DurationMin(millis = 1) Duration disableAfter,
        @DefaultValue("1000") @Min(1) int maxHeldCounters,
        @DefaultValue("100") @Min(1) int maxSubscriptionsPerKey,
        @DefaultValue("250ms") @DurationMin(millis = 1) Duration pollInterval) {

    WebhookSettings {
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("counter.webhooks.initial-backoff must not exceed max-backoff");
        }
    }

    /**
     * How long a subscription stays claimed for a round that starts deliveries for {@code budget}: past it,
     * another worker may take the subscription over.
     */
    Duration lease(Duration budget) {
        return budget.plus(timeout.multipliedBy(3));
    }

    /** How long a subscription waits after its given (1-based) round in a row whose every attempt failed. */
    Duration roundBackoff(int failedRounds) {
        long initial = initialBackoff.toMillis();
        int doublings = failedRounds - 1;
        // a doubling that would carry into the sign bit is past any cap
        long wait = doublings < Long.numberOfLeadingZeros(initial) - 1 ? initial << doublings : Long.MAX_VALUE;
        return Duration.ofMillis(Math.min(wait, maxBackoff.toMillis()));
    }

    /** How long to wait after the given (1-based) failed attempt, or null when it was the last one. */
    Duration backoffAfter(int attempt) {
        return attempt < maxAttempts ? roundBackoff(attempt) : null;
    }
}

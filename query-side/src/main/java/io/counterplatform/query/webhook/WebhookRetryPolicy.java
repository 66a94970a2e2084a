package io.counterplatform.query.webhook;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Exponential backoff: the first retry after {@code initial-backoff}, each next one twice as late, up to a cap. */
@Component
class WebhookRetryPolicy {

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    WebhookRetryPolicy(
            @Value("${counter.webhooks.max-attempts}") int maxAttempts,
            @Value("${counter.webhooks.initial-backoff}") Duration initialBackoff,
            @Value("${counter.webhooks.max-backoff}") Duration maxBackoff) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** How long to wait after the given (1-based) failed attempt. */
    Duration backoffAfter(int attempt) {
        Duration backoff = initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 30));
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
}

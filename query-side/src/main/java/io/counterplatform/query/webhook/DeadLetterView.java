package io.counterplatform.query.webhook;

import java.time.Instant;

/** A delivery that failed every attempt; it holds back the later versions of its counter. */
record DeadLetterView(
        String eventId,
        String counterId,
        long version,
        long amount,
        long value,
        Instant timestamp,
        int attempts,
        Instant lastAttemptAt,
        String lastError) {}

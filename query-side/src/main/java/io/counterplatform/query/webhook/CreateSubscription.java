package io.counterplatform.query.webhook;

/** The body of {@code POST /api/subscriptions}; without a counter id, every counter is meant. */
record CreateSubscription(String callbackUrl, String counterId, String secret) {}

package io.counterplatform.query.webhook;

/**
 * Where a subscription's deliveries go, and the secrets that sign them (the previous one only while a rotation's
 * overlap lasts, else null).
 */
record Endpoint(String callbackUrl, String secret, String previousSecret) {}

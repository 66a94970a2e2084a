package io.counterplatform.query.webhook;

import java.util.List;

/**
 * Where a subscription's deliveries go, and the secrets that sign them: its own, then those that rotations replaced
 * while their overlap lasts, newest first.
 */
record Endpoint(String callbackUrl, String secret, List<String> retiredSecrets) {}

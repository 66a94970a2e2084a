package io.counterplatform.query.webhook;

/** The answer to a rotation: the subscription's new secret, shown only here. */
record NewSecret(String secret) {}

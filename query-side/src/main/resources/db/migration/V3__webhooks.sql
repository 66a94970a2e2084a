-- Webhook subscriptions, and the outbox of their deliveries. The webhook processor enqueues a delivery per
-- matching subscription in the same transaction as its token; a delivered row is deleted, a failing one is
-- retried and finally marked DEAD, holding back the later versions of its counter for its subscription only.
CREATE TABLE webhook_subscription (
    id           UUID          PRIMARY KEY,
    callback_url VARCHAR(2048) NOT NULL,
    counter_id   VARCHAR(64),
    secret       VARCHAR(256)  NOT NULL,
    created_at   TIMESTAMPTZ   NOT NULL
);

CREATE TABLE webhook_delivery (
    subscription_id UUID         NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    counter_id      VARCHAR(64)  NOT NULL,
    version         BIGINT       NOT NULL,
    event_id        VARCHAR(255) NOT NULL,
    amount          BIGINT       NOT NULL,
    value           BIGINT       NOT NULL,
    occurred_at     TIMESTAMPTZ  NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL,
    claimed_until   TIMESTAMPTZ,
    last_attempt_at TIMESTAMPTZ,
    last_error      VARCHAR(1000),
    PRIMARY KEY (subscription_id, counter_id, version)
);

CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';

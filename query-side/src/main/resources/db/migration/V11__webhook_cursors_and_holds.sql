-- Deliveries are read from the event store, not copied per subscription: each subscription keeps a cursor (an Axon
-- tracking token) into the event stream, and a hold per counter whose delivery failed (that counter's later events
-- wait behind it, and are read from the event store again when it clears). What a failing subscriber costs no
-- longer grows with time: at most one hold per counter, and one row of endpoint health.
ALTER TABLE webhook_subscription
    ADD COLUMN cursor_token      bytea,
    ADD COLUMN cursor_token_type varchar(255),
    ADD COLUMN cursor_position   bigint       NOT NULL DEFAULT -1,
    ADD COLUMN status            varchar(16)  NOT NULL DEFAULT 'enabled',
    ADD COLUMN failing_since     timestamptz,
    ADD COLUMN failed_rounds     integer      NOT NULL DEFAULT 0,
    ADD COLUMN last_error        varchar(1000),
    ADD COLUMN disabled_at       timestamptz,
    ADD COLUMN next_round_at     timestamptz  NOT NULL DEFAULT now(),
    ADD COLUMN claimed_until     timestamptz,
    ADD COLUMN claim_id          uuid;

-- head: the oldest undelivered event of the counter for the subscription (kept whole, so a dead letter can be
-- shown without the event store); through_version: the newest version of the counter the cursor has passed.
CREATE TABLE webhook_hold (
    subscription_id uuid          NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    counter_id      varchar(64)   NOT NULL,
    version         bigint        NOT NULL,
    through_version bigint        NOT NULL,
    event_id        varchar(255)  NOT NULL,
    amount          bigint        NOT NULL,
    value           bigint        NOT NULL,
    occurred_at     timestamptz   NOT NULL,
    trace_parent    text,
    attempts        integer       NOT NULL,
    next_attempt_at timestamptz   NOT NULL,
    last_attempt_at timestamptz,
    last_error      varchar(1000),
    dead            boolean       NOT NULL DEFAULT false,
    PRIMARY KEY (subscription_id, counter_id)
);

CREATE INDEX webhook_hold_due ON webhook_hold (subscription_id, next_attempt_at) WHERE NOT dead;
CREATE INDEX webhook_hold_dead ON webhook_hold (subscription_id) WHERE dead;

-- What the outbox still held becomes holds: per subscription and counter its oldest row, through its newest.
INSERT INTO webhook_hold (subscription_id, counter_id, version, through_version, event_id, amount, value,
                          occurred_at, trace_parent, attempts, next_attempt_at, last_attempt_at, last_error, dead)
SELECT DISTINCT ON (subscription_id, counter_id)
       subscription_id, counter_id, version,
       max(version) OVER (PARTITION BY subscription_id, counter_id), event_id, amount, value, occurred_at,
       trace_parent, attempts, next_attempt_at, last_attempt_at, last_error, status = 'DEAD'
  FROM webhook_delivery
 ORDER BY subscription_id, counter_id, version;

-- Every event before the webhook processor's token is in the outbox, so every cursor starts there; the events
-- before a subscription's after_position are still skipped. (The processor writes its token when it first starts,
-- at the head, so only a query side that never ran has none: its cursors start at the stream's start.)
UPDATE webhook_subscription s
   SET cursor_token = t.token, cursor_token_type = t.tokenType
  FROM TokenEntry t
 WHERE t.processorName = 'webhooks' AND t.segment = 0;

DROP TABLE webhook_delivery;

CREATE INDEX webhook_subscription_due ON webhook_subscription (next_round_at) WHERE status = 'enabled';

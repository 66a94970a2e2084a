-- Idempotency keys, each remembered for counter.idempotency.retention after its first use, whatever its counter's
-- rate, outside the counter's state. A row names the versions its increment was given, one per try that reached
-- the store; the event at one of them carries the key if the increment was stored. On the JDBC event store the row
-- is written in the append's own transaction; on Axon Server it is committed just before the append.
CREATE TABLE idempotency_key (
    counter_id      VARCHAR(64)  NOT NULL,
    idempotency_key VARCHAR(128) NOT NULL,
    versions        BIGINT[]     NOT NULL,
    first_used_at   TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (counter_id, idempotency_key)
);

-- Rows arrive in time order, so a block-range index finds the expired ones for the sweep at almost no cost per insert.
CREATE INDEX idempotency_key_first_used_at ON idempotency_key USING brin (first_used_at);

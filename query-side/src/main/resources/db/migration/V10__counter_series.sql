-- The counter-series read model: per counter, the increments and their summed amount of each minute, hour and
-- day (UTC) that had any. The counter-series processor writes it in the same transaction as its token.
CREATE TABLE counter_series (
    counter_id VARCHAR(64) NOT NULL,
    bucket     VARCHAR(8)  NOT NULL,
    starts_at  TIMESTAMPTZ NOT NULL,
    increments BIGINT      NOT NULL,
    amount     BIGINT      NOT NULL,
    PRIMARY KEY (counter_id, bucket, starts_at)
);

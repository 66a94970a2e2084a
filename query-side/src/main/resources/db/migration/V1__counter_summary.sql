-- The counter_summary read model: one row per counter, set (never added to) from each event's resulting value.
CREATE TABLE counter_summary (
    counter_id VARCHAR(64) PRIMARY KEY,
    value      BIGINT      NOT NULL,
    version    BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

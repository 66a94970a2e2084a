CREATE TABLE IF NOT EXISTS crud_counter (
    id      VARCHAR(64) PRIMARY KEY,
    value   BIGINT      NOT NULL,
    version BIGINT      NOT NULL
);

-- One row per projection that has been rebuilt: RUNNING while its shadow table is being built (the live
-- projection then writes to both tables), DONE once the shadow has taken over. The checkpoint token and the
-- shadow rows commit together, so a rebuild resumes where it stopped.
CREATE TABLE projection_rebuild (
    name            VARCHAR(255) PRIMARY KEY,
    status          VARCHAR(16)  NOT NULL,
    started_at      TIMESTAMPTZ  NOT NULL,
    finished_at     TIMESTAMPTZ,
    target_position BIGINT       NOT NULL,
    position        BIGINT       NOT NULL DEFAULT 0,
    processed       BIGINT       NOT NULL DEFAULT 0,
    token           BYTEA,
    token_type      VARCHAR(255),
    owner           VARCHAR(255),
    lease_until     TIMESTAMPTZ
);

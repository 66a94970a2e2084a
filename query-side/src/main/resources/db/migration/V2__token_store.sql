-- Axon's JdbcTokenStore table in the shape of PostgresTokenTableFactory, default TokenSchema names.
-- A projection writes its rows and its token here in one transaction.
CREATE TABLE TokenEntry (
    processorName VARCHAR(255) NOT NULL,
    segment       INTEGER      NOT NULL,
    token         BYTEA,
    tokenType     VARCHAR(255),
    timestamp     VARCHAR(255),
    owner         VARCHAR(255),
    PRIMARY KEY (processorName, segment)
);

-- Every replayable read model is built by versions: version n writes the table <view>_<n> and is fed by the
-- processing group <name>-<n>, which starts at the first event with Axon's own tokens and claims. Readers query
-- the view, which shows the live version; a rebuild is the next version, and the view moves to it in one
-- transaction once it has caught up. The retiring version is stopped everywhere, then its tokens and table go.
CREATE TABLE read_model (
    name            VARCHAR(64) PRIMARY KEY,
    live            INTEGER     NOT NULL,
    building        INTEGER,
    building_since  TIMESTAMPTZ,
    building_target BIGINT,
    retiring        INTEGER
);
INSERT INTO read_model (name, live) VALUES ('counter-summary', 1), ('counter-series', 1);

-- The tables so far are version 1, and their processors' tokens carry over: nothing is projected twice. The
-- tokens are locked first, as a processor's batch locks its token before it writes its rows.
LOCK TABLE TokenEntry IN EXCLUSIVE MODE;
DROP TABLE IF EXISTS counter_summary_next;
ALTER TABLE counter_summary RENAME TO counter_summary_1;
CREATE VIEW counter_summary AS SELECT * FROM counter_summary_1;
ALTER TABLE counter_series RENAME TO counter_series_1;
CREATE VIEW counter_series AS SELECT * FROM counter_series_1;
UPDATE TokenEntry SET processorName = processorName || '-1'
 WHERE processorName IN ('counter-summary', 'counter-series');

-- The rebuilds written by hand before versions are gone.
DROP TABLE projection_replay;

-- An instance of the release before keeps the old names, which must not start again from the first event (the
-- series would count everything twice): their tokens stay, claimed for ever by an owner that never comes.
INSERT INTO TokenEntry (processorName, segment, token, tokenType, timestamp, owner)
SELECT left(processorName, length(processorName) - 2), segment, token, tokenType, '9999-12-31T23:59:59Z',
       'replaced by ' || processorName
  FROM TokenEntry WHERE processorName IN ('counter-summary-1', 'counter-series-1');
INSERT INTO TokenEntry (processorName, segment, timestamp, owner)
SELECT name, 0, '9999-12-31T23:59:59Z', 'replaced by ' || name || '-1'
  FROM (VALUES ('counter-summary'), ('counter-series')) AS replaced (name)
 WHERE NOT EXISTS (SELECT 1 FROM TokenEntry WHERE processorName = name);

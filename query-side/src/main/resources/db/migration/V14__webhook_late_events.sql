-- An event can become visible after one stored behind it (two command-side instances commit at once, and the one
-- that took the earlier place commits last): a cursor that read past its place keeps that place as a gap, which
-- Axon's stream fills when the event arrives, but the head does not move for it. So the webhooks processor counts
-- the batches of events it sees, and a subscription whose cursor has gaps is due again once the count has moved
-- since its last round.
CREATE TABLE webhook_event_batches (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seen     bigint  NOT NULL
);
INSERT INTO webhook_event_batches (seen) VALUES (0);

ALTER TABLE webhook_subscription
    ADD COLUMN cursor_has_gaps boolean NOT NULL DEFAULT false,
    ADD COLUMN batches_seen    bigint  NOT NULL DEFAULT 0;

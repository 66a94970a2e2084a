-- A rotation's replaced secret signs next to the new one for its overlap, whatever rotations come after it: one
-- row per replaced secret, instead of one previous secret that the next rotation overwrote.
CREATE TABLE webhook_retired_secret (
    subscription_id uuid        NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    secret          text        NOT NULL,
    signs_until     timestamptz NOT NULL,
    PRIMARY KEY (subscription_id, secret)
);

INSERT INTO webhook_retired_secret (subscription_id, secret, signs_until)
SELECT id, previous_secret, previous_secret_until
  FROM webhook_subscription
 WHERE previous_secret IS NOT NULL AND previous_secret_until > now();

ALTER TABLE webhook_subscription DROP COLUMN previous_secret, DROP COLUMN previous_secret_until;

-- Every claim of a delivery gets its own id, and only an acknowledgement that names it counts: a worker whose
-- lease ran out can no longer delete or reschedule a delivery another worker has claimed since.
ALTER TABLE webhook_delivery ADD COLUMN claim_id UUID;

-- A subscription receives the events after the position the event stream had reached when it was created,
-- whatever the clocks of the services say. Existing subscriptions receive every event still to come.
ALTER TABLE webhook_subscription ADD COLUMN after_position BIGINT NOT NULL DEFAULT -1;

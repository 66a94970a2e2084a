-- One word for one thing: the operation is a replay (POST .../replay), and so is its table.
ALTER TABLE projection_rebuild RENAME TO projection_replay;
ALTER INDEX projection_rebuild_pkey RENAME TO projection_replay_pkey;

-- The dead letters gauge counts these on every scrape.
CREATE INDEX webhook_delivery_dead ON webhook_delivery (subscription_id) WHERE status = 'DEAD';

-- A subscription belongs to the key that created it: a client sees and changes only its own, the admin all.
-- Subscriptions made before keys existed belong to the admin.
ALTER TABLE webhook_subscription ADD COLUMN owner VARCHAR(128) NOT NULL DEFAULT 'admin';
CREATE INDEX webhook_subscription_owner ON webhook_subscription (owner);

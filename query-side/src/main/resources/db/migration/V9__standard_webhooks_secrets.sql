-- Deliveries are signed as Standard Webhooks v1: a secret is whsec_ followed by the base64 of the key. Every
-- secret from before (whatever it looks like) keeps its key: its UTF-8 bytes, now written in that form.
ALTER TABLE webhook_subscription ALTER COLUMN secret TYPE text;
UPDATE webhook_subscription
   SET secret = 'whsec_' || translate(encode(convert_to(secret, 'UTF8'), 'base64'), E'\n', '');
-- After a rotation the secret it replaced signs too, next to the new one, until previous_secret_until.
ALTER TABLE webhook_subscription ADD COLUMN previous_secret text, ADD COLUMN previous_secret_until TIMESTAMPTZ;

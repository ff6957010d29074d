-- Idempotency keys: a client makes one key per spawn (and per detached map) and sends it with every attempt, so
-- that a spawn repeated after a lost answer or a server restart finds the call the first attempt made instead of
-- making a second one.
--
-- A key is unique within its app, never across apps: app ids are unique in every environment, so two apps (or two
-- environments) can never collide. Expiry clears a call's key with its payloads, so the index holds only the keys
-- of calls whose results are still kept.

ALTER TABLE shoal_call ADD COLUMN idempotency_key text;

CREATE UNIQUE INDEX shoal_call_idempotency_key ON shoal_call (app_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

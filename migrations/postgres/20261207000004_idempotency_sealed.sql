-- Idempotency records now keep the key's digest and the access code sealed; the older ones held
-- both in clear (and will never match a digest), so they go now instead of at their expiry.
DELETE FROM idempotency_keys;

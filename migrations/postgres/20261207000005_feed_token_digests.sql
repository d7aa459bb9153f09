-- Calendar-feed tokens are kept as digests. The service digests the tokens still held in clear
-- when it starts (store::feeds::seal_clear_tokens), so addresses given out before keep working.
ALTER TABLE arbitrators ADD COLUMN calendar_digest TEXT;
ALTER TABLE rooms ADD COLUMN calendar_digest TEXT;

-- Trust at the edges of sync.
--
-- 1. An enrollment code counts the approver passwords tried with it: the
--    fifth wrong one burns the code (POST /v1/enroll is public, and a code
--    holder must not get unlimited guesses at an approver's password).
-- 2. A device token records its last use, and expires after 90 days without
--    one. Tokens rotate: a pull answer carries a new token whose row names
--    the token it replaces; the old one stays good until the new one is
--    first used, so an answer lost on the way locks no desk out.
ALTER TABLE enroll_codes ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE device_tokens ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE device_tokens ADD COLUMN replaces BLOB;

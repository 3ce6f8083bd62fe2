-- The centre's schema, version 4: the phone checkpoint page's device
-- tokens. A checker logs in once on a phone; the phone keeps the token, the
-- server only its SHA-256. A revoked token stays, so the phone is told why
-- it is refused.
CREATE TABLE phone_tokens (
    id           TEXT PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE,
    officer_id   TEXT NOT NULL REFERENCES officers (id),
    unit         INTEGER NOT NULL,
    label        TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL DEFAULT 0,
    revoked_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX phone_tokens_officer ON phone_tokens (officer_id);

-- The centre's schema, version 1 (its own count, in central_migrations).
--
-- The centre's tables: desks' tokens and enrollment codes, the ops it
-- settled (idempotency), the change feed, ID aliases and each desk's audit
-- chain. Centre files made before store/central existed, and every desk
-- file, already have them from the store's migrations 0002, 0004, 0006 and
-- 0007 (kept for the desks in the field, where they stay empty), so each is
-- created only if missing, in its current shape.
CREATE TABLE IF NOT EXISTS device_tokens (
    token_hash BLOB PRIMARY KEY,
    desk_id    TEXT NOT NULL REFERENCES desks (id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL DEFAULT 0,
    last_used_at INTEGER NOT NULL DEFAULT 0,
    replaces   BLOB
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS enroll_codes (
    code_hash  BLOB PRIMARY KEY,
    unit       INTEGER NOT NULL REFERENCES units (code),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER NOT NULL DEFAULT 0,
    desk_id    TEXT NOT NULL DEFAULT '',
    attempts   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_ops (
    desk_id      TEXT NOT NULL,
    op_id        TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    payload_hash BLOB NOT NULL,
    status       TEXT NOT NULL,
    code         TEXT NOT NULL DEFAULT '',
    message      TEXT NOT NULL DEFAULT '',
    detail       BLOB,
    received_at  INTEGER NOT NULL,
    PRIMARY KEY (desk_id, op_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    unit       INTEGER NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS id_aliases (
    entity TEXT NOT NULL,
    alias  TEXT NOT NULL,
    id     TEXT NOT NULL,
    PRIMARY KEY (entity, alias)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS desk_audit (
    desk_id    TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    id         TEXT NOT NULL,
    at         INTEGER NOT NULL,
    officer_id TEXT NOT NULL,
    unit       INTEGER NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  BLOB NOT NULL,
    hash       BLOB NOT NULL,
    PRIMARY KEY (desk_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS desk_audit_refusals (
    desk_id   TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    hash      BLOB NOT NULL,
    kind      TEXT NOT NULL CHECK (kind = 'gap' OR kind = 'fork' OR kind = 'hash'),
    reason    TEXT NOT NULL,
    first_at  INTEGER NOT NULL,
    last_at   INTEGER NOT NULL,
    attempts  INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (desk_id, seq, hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS device_tokens_desk ON device_tokens (desk_id);
CREATE INDEX IF NOT EXISTS changes_unit ON changes (unit, seq);

-- Application numbers are unique by construction (unit, desk, that desk's
-- counter), so desks keep no index on them (store migration 0003); the
-- centre, where every desk's applications meet, keeps a unique one: a desk
-- restored from an old backup that numbers again from an old counter is
-- refused here, with the number named, instead of giving two citizens the
-- same number.
CREATE UNIQUE INDEX IF NOT EXISTS applications_number ON applications (number);

-- The centre's changes reach desks through its feed, and it pushes to no
-- one: whatever the store's rules queue in the outbox while the centre
-- applies them is not kept (the setting guards a desk file opened here by
-- mistake).
CREATE TRIGGER IF NOT EXISTS centre_outbox_none AFTER INSERT ON outbox
WHEN EXISTS (SELECT 1 FROM settings WHERE key = 'central.role')
BEGIN
    DELETE FROM outbox WHERE seq = new.seq;
END;
